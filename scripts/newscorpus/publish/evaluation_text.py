"""The prose of the Evaluation section: the scorer's command, its input and its figures.

A leaf module, so that the dataset card (publish) and the scorer's own report (curate) print
the same words without the card importing the scorer.
"""

# Before a code block that runs from the folder holding the dataset folder (a clone's root):
# the test that runs the card's examples reads it; rendered pages do not show it.
EXAMPLE_FROM_PARENT = "<!-- example: cwd=.. -->"

EVALUATION_INTRO = f"""## Evaluation

The corpus has its own scorer, so that figures from different systems can be compared. Run
it from a clone of the repository (`pip install -e .`), whose `corpus/` folder is this one.
A system's predictions can be written with `datasets` in the shape of any config; here a
trivial baseline that tags every token `O`:

{EXAMPLE_FROM_PARENT}
```python
from datasets import load_dataset

ner = load_dataset("corpus", "ner", split="all")  # or the split to score, e.g. "test"
predictions = ner.map(lambda row: {{"ner_tags": ["O"] * len(row["tokens"])}})
predictions.to_json("predictions.jsonl")
```

{EXAMPLE_FROM_PARENT}
```bash
newscorpus evaluate predictions.jsonl          # a table per layer and label
newscorpus evaluate predictions.jsonl --json   # every figure and finding
```

`--split S` scores the gold documents of split S only (the split must have some). From
Python, `newscorpus.evaluate(gold, predictions)` returns what `--json` prints; each side is a
path, a `datasets.Dataset` or a list of rows (`None` as gold: the clone's gold records).

**Predictions** may take any shape the dataset publishes, in JSON, JSON Lines or Parquet, with
label names or ClassLabel integers: rows of `ner` (predicted `ner_tags`, one row per gold row,
same `id`), rows of `mentions`, `quotes`, `events` or `relations` (`doc_id`, offsets and labels;
a quote's speaker, an event's arguments and a relation's head and tail are ids of the predicted
mentions and entities, so give the `mentions` rows with them), `documents` rows with their
nested layers, or records in the corpus's own format. The scorer says which shape it read;
whole documents and layer rows cannot be mixed in one prediction. Offsets count Python code
points of the article's text. A layer that no prediction holds is reported as not evaluated.
Unknown labels, offsets that do not slice the text and documents that match no gold document
are reported with their file and JSON pointer and are left out of the scores (exit code 1).

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
