"""brat standoff: a folder of <doc-id>.txt / <doc-id>.ann pairs plus annotation.conf.

Export and import share the vocabulary below, so whatever is written is read back to the same
layers. brat offsets are code points into the .txt, like the record's.

Mapping (record -> .ann):
- mention m<k>                -> T<k> with the entity label; A MentionType (NAM|NOM|PRO);
                                 A Suggested when it is a machine suggestion
- entity (coreference)        -> on each of its mentions, N Reference newscorpus:e<k> with the
                                 entity's canonical name as the note text; every kb link as
                                 another N line <db>:<id> on each mention. brat `*` Equiv lines
                                 are also read on import (their mentions join one cluster)
- event ev<k>                 -> trigger T (numbered after the mentions) with the event type,
                                 E<k> TYPE:T role:T ... (a repeated role gets brat's numeric
                                 suffix: agent, agent2), the time mention as role `time`,
                                 A Modality, and N Reference newscorpus:evc<k> for its cluster
- relation r<k>               -> R<k> TYPE Arg1:T Arg2:T, each argument the representative
                                 mention of head/tail (interop.common.representative_mention:
                                 first evidence mention of that entity, else its first NAM
                                 mention, else its first mention); when the evidence is not
                                 exactly [Arg1, Arg2], an AnnotatorNotes line `evidence T3 T9`
- quote q<k>                  -> T Quote whose fragments are the content parts; A QuoteType;
                                 the cue as T Cue linked by R Cue; the source mention by
                                 R Source; the speaker as N Reference newscorpus:e<k>
Import numbers mentions, events and relations by their T, E and R numbers (m<k> = T<k>) and
quotes q1, q2, ... in T order. What a curator adds in brat gets defaults: a mention without
MentionType is NAM, an event without Modality is asserted, a mention with neither an N
newscorpus line nor an Equiv partner joins the other unlinked mentions of its (label, surface
form), and a new entity is named by its first named mention. A mention that crosses a line
break is written as fragments split at the break (as brat itself does) and joined again on
import. Document labels have no place in brat and stay with the record.
"""

from __future__ import annotations

from .export import annotation_conf, export_records, fragments, record_to_ann
from .layers import ann_to_layers
from .parse import Problems
from .read import read_documents

_Problems = Problems  # the name tests/test_export.py knows it by

__all__ = [
    "Problems",
    "ann_to_layers",
    "annotation_conf",
    "export_records",
    "fragments",
    "read_documents",
    "record_to_ann",
]
