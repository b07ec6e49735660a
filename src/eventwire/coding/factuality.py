"""Factuality (asserted, negated, hypothetical) and attribution (who reported or claimed it).

Reporting verbs are not events: "X said Y attacked Z" is one ASSAULT (Y -> Z) with attribution X.
"""

from __future__ import annotations

from spacy.tokens import Token

MODALS = {"would", "could", "may", "might", "should", "can", "will", "shall", "must", "'d", "'ll", "wo", "ca"}
INTENT_HEADS = {
    "threaten", "plan", "intend", "want", "seek", "propose", "consider", "prepare", "vow", "promise",
    "pledge", "agree", "offer", "hope", "aim", "expect", "warn", "ask", "urge", "call", "demand",
    "decide", "wish", "try", "attempt", "push", "press", "appeal", "request", "invite", "encourage",
    "order", "authorize", "authorise", "allow", "permit", "approve", "move", "set", "mull",
    "weigh", "contemplate", "refuse", "decline", "fail", "reject", "need", "have", "insist", "tell",
    "advise", "plead", "beg", "could", "would", "likely", "able", "ready", "willing", "get", "make",
    "force", "persuade", "pressure", "convince", "help", "compel", "let",
}
NEGATING_HEADS = {"deny", "refuse", "fail", "decline", "reject", "dismiss", "rule", "avoid", "stop", "halt",
                  "cease", "abandon", "prevent", "forbid", "ban"}
ALLEGING_HEADS = {"accuse", "charge", "suspect", "blame", "convict", "acquit", "clear", "indict", "allege",
                  "accusation", "allegation", "suspicion"}
HYPOTHETICAL_NOUNS = {"plan", "threat", "possibility", "prospect", "risk", "fear", "call", "demand", "proposal",
                      "offer", "warning", "bid", "attempt", "intention", "readiness", "option", "idea", "pledge"}
# "voted to condemn": a vote is the decision itself
REALIS_HEADS = {"vote", "begin", "start", "continue", "manage", "proceed", "resume", "keep", "go", "come", "move",
                "rush", "help", "use", "be", "have", "seem", "appear", "prove"}
CONDITIONAL_MARKS = {"if", "unless", "should", "whether", "lest"}
REPORTING_VERBS = {
    "say", "report", "tell", "claim", "announce", "state", "add", "note", "confirm", "allege", "insist",
    "write", "declare", "assert", "explain", "reveal", "disclose", "acknowledge", "admit", "show",
    "indicate", "suggest", "believe", "think", "estimate", "quote", "cite", "tweet", "post", "brief",
    "recount", "recall", "describe", "testify", "learn", "hear", "understand", "know", "see",
}


FUTURE_AUX = {"will", "would", "shall", "'ll", "wo", "going"}
# heads whose infinitive complement is the subject's own announced intention
FUTURE_HEADS = {"plan", "intend", "prepare", "decide", "determined", "resolve",
                "set", "schedule", "scheduled", "aim", "expect", "swear", "be", "poised", "eager", "keen",
                "likely", "due"}
# heads that are an event of their own (AGREE, THREATEN): the complement stays as it is
OWN_EVENT_HEADS = {"agree", "promise", "pledge", "offer", "commit", "vow", "undertake", "threaten", "warn",
                   "try", "attempt", "seek", "want", "hope", "wish", "ask", "urge", "demand", "call", "refuse",
                   "decline", "fail", "reject", "help", "need", "have", "allow", "order"}


def announced_future(tok: Token) -> bool:
    """Whether the event is announced as the subject's future act ("will visit", "is ready to send troops",
    "said it would impose sanctions"), not a wish, a condition or another party's request."""
    if _negated_here(tok):
        return False
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("may", "might", "could", "can", "should", "must")
           for c in tok.children):
        return False
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in tok.children):
        return False
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in tok.children):
        return True
    if _shares_head_aux(tok, FUTURE_AUX):
        return True
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        head = cur.head
        lemma = head.lemma_.lower()
        if cur.dep_ == "xcomp":
            if lemma in OWN_EVENT_HEADS or _negated_here(head):
                return False
            if lemma in FUTURE_HEADS:
                return True
            if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in head.children):
                return lemma not in OWN_EVENT_HEADS
            return False
        cur = head
    return False


def _shares_head_aux(tok: Token, auxiliaries: set[str]) -> bool:
    """A conjunct with no auxiliary or subject of its own shares its head's: "would bring X and withdraw Y"."""
    return tok.dep_ == "conj" and not any(c.dep_ in ("aux", "auxpass", "nsubj") for c in tok.children) \
        and any(c.dep_ in ("aux", "auxpass") and c.lower_ in auxiliaries for c in tok.head.children)


def _negated_here(tok: Token) -> bool:
    return bool(any(c.dep_ == "neg" or (c.lower_ in ("never", "no") and c.dep_ in ("neg", "advmod", "det")) for c in tok.children))


def factuality(tok: Token, noun: Token | None = None) -> str:
    """'negated', 'hypothetical' or 'asserted' for the event headed by ``tok``."""
    if _negated_here(tok) or (noun is not None and noun.i != tok.i and _negated_here(noun)):
        return "negated"
    if noun is not None and noun.i == tok.i:
        # an event noun: "no attack", "a plan for an offensive", "the threat of sanctions"
        head = tok.head
        if head.dep_ == "prep" and head.head.pos_ == "NOUN" and head.head.lemma_.lower() in HYPOTHETICAL_NOUNS:
            return "hypothetical"
        if tok.dep_ in ("dobj", "pobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            verdict = factuality(head)
            if verdict != "asserted":
                return verdict
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS for c in tok.children):
        return "hypothetical"
    if _shares_head_aux(tok, MODALS):
        return "hypothetical"  # "would bring its ambassador home and withdraw its troops"
    if any(c.dep_ == "aux" and c.lower_ == "going" for c in tok.children):
        return "hypothetical"
    if tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
            and (tok.head.lemma_.lower() not in REALIS_HEADS or tok.dep_ in ("advcl", "acl", "relcl")):
        # an infinitive ("to get the US to withdraw") names a goal, not something that happened
        return "hypothetical"
    cur = tok
    for _ in range(6):
        if cur.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in cur.children):
            return "hypothetical"
        if cur.dep_ == "advcl" and cur.tag_ in ("VB", "VBP", "VBZ") and \
                any(c.dep_ == "mark" and c.lower_ in ("before", "until", "till", "once") for c in cur.children):
            return "hypothetical"  # "must agree to changes before they demobilize"
        if cur.dep_ == "advcl" and cur.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children):
            return "hypothetical"  # a purpose: "offered troops to help him oust X"
        head = cur.head
        if head.i == cur.i:
            break
        lemma = head.lemma_.lower()
        if cur.dep_ in ("xcomp", "ccomp", "advcl", "acl", "pcomp") and lemma in NEGATING_HEADS:
            return "negated"
        if cur.dep_ == "xcomp" and lemma in INTENT_HEADS:
            return "hypothetical"
        if cur.dep_ == "pcomp" and head.lower_ == "of" and head.head.lemma_.lower() in ALLEGING_HEADS:
            return "hypothetical"  # "accused Qatar of supporting terrorism": alleged, not established
        if cur.dep_ in ("acl", "pcomp", "ccomp") and head.pos_ == "NOUN" and lemma in HYPOTHETICAL_NOUNS:
            return "hypothetical"
        if cur.dep_ in ("acl", "pcomp") and lemma in HYPOTHETICAL_NOUNS:
            return "hypothetical"
        if cur.dep_ == "ccomp" and lemma in ("threaten", "warn", "vow", "promise", "pledge", "plan", "propose",
                                              "demand", "urge", "hope", "want", "fear", "expect", "predict",
                                              "suggest", "recommend"):
            return "hypothetical"
        if cur.dep_ == "ccomp" and lemma in REPORTING_VERBS:
            # "X said it would strike": the modal sits on the embedded verb, already checked
            if _negated_here(head) and lemma in ("say", "confirm", "claim"):
                # "did not say that X attacked" does not negate the attack; stay asserted
                pass
            break
        if cur.dep_ not in ("xcomp", "conj", "ccomp", "advcl", "acl", "pcomp", "prep", "pobj", "dobj"):
            break
        cur = head
    return "asserted"


def reporting_clause(tok: Token) -> Token | None:
    """The reporting verb that frames this event ("..., Reuters reported"), if any."""
    cur = tok
    for _ in range(4):
        for child in cur.children:
            if child.dep_ in ("parataxis", "ccomp", "advcl") and child.lemma_.lower() in REPORTING_VERBS \
                    and child.i > cur.i and any(c.dep_ == "nsubj" for c in child.children):
                return child
        head = cur.head
        if head.i == cur.i:
            return None
        if cur.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in REPORTING_VERBS:
            return head
        if cur.dep_ not in ("conj", "xcomp", "ccomp", "advcl"):
            return None
        cur = head
    return None


def according_to(tok: Token) -> Token | None:
    """The object of an 'according to X' that frames the event."""
    for anc in [tok, *tok.ancestors]:
        for child in anc.children:
            if child.lower_ == "according":
                for to in child.children:
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            return pobj
        if anc.dep_ == "ROOT":
            break
    return None


def citing(verb: Token) -> Token | None:
    """'Reuters reported, citing a senior official': the cited source."""
    for child in verb.subtree:
        if child.lemma_.lower() in ("cite", "quote") and child.i > verb.i:
            for obj in child.children:
                if obj.dep_ in ("dobj", "obj"):
                    return obj
    return None
