"""Equal pay (Directive (EU) 2023/970): the pay-gap report of article 9 per establishment
and for the network, its exports, the gap actions (justifications and remedies), a worker's
article-7 letter and the pay ranges of articles 5–6."""
