"""The corpus's scorer: one implementation of every figure that `evaluate` and `agreement` print.

- tally: precision, recall and F1 as numerators and denominators that add up across documents
  (micro averages), per-label breakdowns, macro averages and one-to-one matching;
- spans: span matching, the SemEval-2013 schemes (strict, exact, partial, type) and BIO chunking
  in seqeval's two modes;
- coref: MUC, B-cubed and CEAF-e, as the CoNLL-2012 reference scorer computes them;
- layers: the per-document comparison of two records, layer by layer.
"""
