"""`python -m newscorpus.cli`: the same as the `newscorpus` command."""

from .main import main

if __name__ == "__main__":
    main()
