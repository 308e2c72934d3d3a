"""The prose of the Evaluation section: the scorer's command, its input and its figures.

A leaf module, so that the dataset card (publish) and the scorer's own report (curate) print
the same words without the card importing the scorer.
"""

EVALUATION_INTRO = """## Evaluation

The corpus has its own scorer, so that figures from different systems can be compared. Run
it from a clone of the repository:

```bash
newscorpus evaluate predictions.jsonl --split test          # a table per layer and label
newscorpus evaluate predictions.jsonl --split test --json   # every figure and finding
```

**Predictions** are either records in the corpus's own format, holding any subset of the layers
(`mentions`, `quotes`, `events`, `relations`; one JSON object per line, or a folder of `.json`
files, each with the `id` of its gold document, offsets in Python code points of the gold
`text`), or rows of the `ner` config with predicted `ner_tags` (strings or ClassLabel integers,
one row per gold row, same `id`), as a token-classification model writes them. A layer that no
prediction holds is reported as not evaluated. Unknown labels, offsets that do not slice the
text and documents that match no gold document are reported with their file and JSON pointer
and are left out of the scores (exit code 1).

**Figures** (micro averages over documents, plus the macro average over labels):

- mentions and NER: the SemEval-2013 schemes (strict, exact, partial, type) and entity-level
  F1 on BIO tags in seqeval's default and strict modes; the tests prove them equal to seqeval's
  and nervaluate's;
- coreference: MUC, B-cubed, CEAF-e and their mean (the CoNLL-2012 figure), on the mentions
  both sides share (same start and end offsets); checked against the CoNLL reference scorer's
  test cases;
- quotes: content overlap F1 over characters, quotes found (content overlap) and attributed
  (with the right speaker), speaker accuracy;
- events: trigger identification and classification, argument identification and
  classification (ACE-style), modality accuracy;
- relations: typed, directed head and tail.
"""

BASELINE_POINTER = """**Baseline.** The floor is the `newscorpus add --suggest` pre-annotation
(names of the entities of the other gold records, leave-one-out, and patterns for dates, money,
percentages, quantities and numbers). `newscorpus evaluate --baseline` computes its figures on
this version; the repository's README lists them."""
