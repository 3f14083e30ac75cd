"""The heuristic backend: rules over discourse connectives, modality, reported speech and position.

Deterministic, offline and fast (about 0.05 s of CPU for a 1,400-word op-ed).
The rules are general English argumentation cues, none keyed to a particular
text; they are developed on arg-microtexts' micro_b texts only, micro_d and
micro_k being held out (docs/extract.md has the measured quality):

1. **Cues.** Each unit's leading connectives and the adverbs inside it are
   read through the hand-written lexicon (:mod:`.lexicon`,
   ``connectives.txt``: connective → sense, PDTB-style: cause, result,
   contrast, concession, addition, enumeration, example, condition, purpose,
   temporal ...); deontic modals (``should``, ``must``, ``ought to``, ``it
   may be necessary``), predictive modals (``could``, ``would``), proposal
   words (``A less formal option``), stance and value judgements (``I
   argue``, ``is unfair``), reported speech (``critics argue that``, ``dog
   owners may think that``) and meta-discourse (``This concern deserves a
   serious answer``) are matched by small patterns. Every cue that fires
   ends up in the node's ``draft.cues``.
2. **Thesis.** The best central-claim score: deontic, stance, evaluative and
   conclusion cues for, reason, example, concession and question cues
   against; in a short text the first and last positions count, and so does
   being the main clause after a fronted reason or concession ("Since X,
   Y"); in an article the thesis is sought in the two opening paragraphs,
   where the turn of the lede ("X, but Y") counts.
3. **Opponent side.** Concessions and reported opinions are objections; so
   is a statement that the next unit answers with a contrast (``but``,
   ``however``, ``yet``, ``then again``), unless it is itself a conclusion
   (then the contrast turns against it). Clauses of one sentence joined to a
   conceded clause are conceded too; what elaborates a concession before the
   answer supports it.
4. **Relations.** An objection attacks the thesis (in an article, the
   nearest claim of its paragraph); the answer attacks the objection; cause
   and example connectives make a unit support the one before it; in an
   article each paragraph's first sentence, and each prediction or
   assessment, is a claim, the paragraph's other sentences support the
   nearest claim or recommendation before them; everything else supports
   the thesis. A target that would close a cycle is replaced by the thesis.
5. **Schemes** proposed on support relations: ``practical-reasoning`` for a
   recommendation's reason with a goal clause, ``expert-opinion`` for a
   reason citing an authority.
6. **Actors** of recommendations: the subject before the modal, with
   passives, impersonal and anaphoric subjects left out and a "they" that
   takes up a leading condition's subject resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from argmap.extract import lexicon
from argmap.extract.assemble import drop_leading_connectives
from argmap.extract.base import Label, Progress
from argmap.extract.segment import Segmentation, Unit

NAME = "heuristic"


# Sense groups of the connective lexicon (argmap/extract/connectives.txt) as the rules use them
REASON_SENSES = ("cause", "addition", "enumeration")
ADDITIVE_SENSES = ("addition", "enumeration")
CONCLUSION_SENSES = ("result", "summary")
FRONTED_CONCESSIVE = {"although", "though", "even though", "even if", "while", "whilst", "whereas"}
# "this concern deserves a serious answer": talk about the debate, not a step of it
META_DISCOURSE = re.compile(
    r"^\W*(?:(?:but|and|yet|so)\s+)?(?:this|that|such\s+an?|these|those|the)\s+(?:\w+\s+)?"
    r"(?:concern|concerns|objection|objections|argument|arguments|point|points|criticism|worry|worries|fear|fears|"
    r"question|questions|view|claim|claims|complaint|complaints|critique)\s+"
    r"(?:deserves?|merits?|needs?|requires?|calls?\s+for|is\s+worth|are\s+worth|must\s+be\s+taken|should\s+be\s+taken|"
    r"warrants?|(?:is|are)\s+(?:\w+\s+)?(?:understandable|natural|legitimate|fair\s+enough|not\s+unreasonable))\b[^,;]{0,40}$",
    re.I,
)
# Concession reporting anywhere in the unit: "some people think", "critics argue"
REPORTED_OPINION = re.compile(
    r"\b(?:some|many|several|critics|opponents|sceptics|skeptics|others|people)\b(?:\s+\w+){0,3}?\s+"
    r"(?:say|says|argue|argues|claim|claims|believe|believes|think|thinks|object|objects|fear|fears|"
    r"complain|complains|point out|points out|maintain|maintains)\b",
    re.I,
)
# Reported speech opening a unit: someone other than the writer holds a view
# ("Dog owners may think that ...", "Many economists argue that ..."); I/we/you are the writer's side.
REPORTED_SPEECH = re.compile(
    r"^\W*(?:(?:but|and|yet|of\s+course|admittedly|granted),?\s+)?(?!(?:i|we|you|having|that|this|it)\b)(?:[\w'’-]+\s+){1,5}?"
    r"(?:(?:may|might|could|would|will|often|also|still|do|does|sometimes|rightly|correctly)\s+)?"
    r"(?:say|says|said|argue|argues|argued|claim|claims|claimed|believe|believes|think|thinks|fear|fears|"
    r"worry|worries|point\s+out|points\s+out|maintain|maintains|assume|assumes|insist|insists|contend|contends|"
    r"object|objects|complain|complains|warn|warns|suggest|suggests|hold|holds|feel|feels)\s+(?:that\b|,)",
    re.I,
)
HYPOTHETICAL_OPINION = re.compile(
    r"\b(?:(?:one|you|some|many|people|critics|opponents|others)\s+(?:could|might|may|would|will)\s+"
    r"(?:argue|say|object|claim|think|believe|point\s+out|counter)|"
    r"it\s+(?:could|might|may|can)\s+be\s+(?:argued|said|objected|claimed))\b",
    re.I,
)

DEONTIC = re.compile(
    r"\b(?:should(?:n['’]t)?|ought\s+to|must(?:n['’]t)?|has\s+to|have\s+to|needs?\s+to|"
    r"(?:is|are|be|was)\s+(?:\w+\s+)?(?:necessary|essential|imperative|vital|crucial|needed)|"
    r"it\s+is\s+time|let['’]s|let\s+us|had\s+better|"
    r"(?:is|are|be|would\s+be)\s+(?:\w+\s+)?(?:better|wise|sensible|advisable|preferable|desirable)\s+to|"
    r"would\s+first\s+need\s+to)\b",
    re.I,
)
PROPOSAL = re.compile(
    r"\b(?:recommend(?:s|ed|ation)?|propose[sd]?|proposal|option|feasible|suggest(?:s|ed)?|"
    r"call(?:s|ed)?\s+(?:on|for)|urge[sd]?|advocate[sd]?)\b",
    re.I,
)
STANCE = re.compile(
    r"\b(?:i\s+(?:think|believe|feel|find|am\s+(?:convinced|sure|certain|of\s+the\s+opinion)|"
    r"would\s+(?:argue|say|suggest)|argue|maintain|hold|propose|suggest|demand|support|oppose|reject)|"
    r"(?:i\s+am|i['’]m|we\s+are)\s+(?:\w+\s+)?(?:in\s+favou?r\s+of|against|opposed\s+to)|"
    r"in\s+my\s+(?:opinion|view|eyes)|my\s+(?:opinion|view|position)\s+is|from\s+my\s+point\s+of\s+view|"
    r"we\s+(?:should|must|need|ought|have\s+to)|it\s+is\s+(?:\w+\s+)?(?:clear|obvious|evident)\s+that|"
    r"there\s+is\s+no\s+doubt)\b",
    re.I,
)
PROPOSAL_LEAD = re.compile(
    r"^(?:(?!\b(?:such|this|that|these|those)\s)\S+\s+){0,7}?(?:\S+\s+)?"
    r"(?:option|alternative|feasible|advisable|recommended|worth\s+considering)\b",
    re.I,
)
ANAPHORIC_PROPOSAL = re.compile(r"\b(?:such|this|that|these|those)\s+(?:\w+\s+)?(?:option|alternative)s?\b", re.I)
EVALUATIVE = re.compile(
    r"\b(?:the\s+right\s+(?:way|measure|step|thing|approach|decision|choice)|(?:un)?fair|unjust(?:ifiable)?|"
    r"(?:in)?appropriate|(?:ir)?responsible\s+(?:to|for)|pointless|senseless|(?:un)?reasonable|(?:un)?acceptable|"
    r"(?:un)?justified|a\s+(?:good|bad)\s+idea|a\s+mistake|out\s+of\s+the\s+question|not\s+to\s+be\s+supported|"
    r"(?:un)?desirable|(?:un)?wise|absurd|ridiculous|(?:il)?legitimate|the\s+(?:best|only)\s+(?:way|solution|option))\b",
    re.I,
)
WE_NEED = re.compile(r"\bwe\s+(?:\w+\s+)?(?:need|don['’]t\s+need|do\s+not\s+need)\b", re.I)
PREDICTIVE = re.compile(r"\b(?:would|could|will|may|might)(?:n['’]t)?\b(?!\s+(?:not\s+)?(?:have\s+)?(?:need|have)\s+to)", re.I)
SUMMING_UP = re.compile(r"(?:such|these|this)\s+(?:\w+\s+){0,2}?(?:hurdles?|problems?|issues?|steps?|actions?|"
                        r"measures?|efforts?|options?|moves?|shortcomings?|constraints?|developments?|changes?|"
                        r"coordination|approach|policy|policies|arguments?|facts?|findings?|figures?|results?)\b",
                        re.I)
# Cues of argumentation schemes (Walton, Reed & Macagno 2008), proposed on support relations:
# a goal clause makes a recommendation's reason practical reasoning; a cited authority, expert opinion
GOAL_CLAUSE = re.compile(
    r"\b(?:in\s+order\s+(?:to|that)|so\s+as\s+to|so\s+that|with\s+the\s+aim\s+of|"
    r"to\s+(?:ensure|prevent|avoid|reduce|increase|improve|protect|keep|make|help|promote|strengthen|achieve|allow|"
    r"enable|maximi[sz]e|minimi[sz]e|build|cut|save|secure|address|assess|focus|identify|stop|limit|create|"
    r"attract|encourage|support|meet|deter|lower|raise|boost|preserve|restore))\b",
    re.I,
)
EXPERT_SOURCE = re.compile(
    r"\baccording\s+to\b|\b(?:report|study|studies|survey|analysis|paper|review|assessment)\s+(?:from|by|of)\s+"
    r"(?:a\s+(?:group|panel|team|committee)\s+of\s+)?(?:\w+\s+)?(?:experts?|researchers|scientists|economists|"
    r"specialists|scholars)\b|\b(?:experts?|researchers|scientists|economists)\s+(?:say|agree|warn|find|found|"
    r"recommend|conclude|concluded|estimate|estimated)\b",
    re.I,
)
QUESTION = re.compile(r"\?\s*$")
# Parenthetical relative clauses, where a modal is not the unit's own stance
PARENTHETICAL = re.compile(r",\s+(?:which|who|during\s+which|where|when|whose)\b[^,]*,", re.I)


@dataclass
class _Info:
    unit: Unit
    index: int
    cues: list[str] = field(default_factory=list)
    support: str | None = None
    example: str | None = None
    conclusion: str | None = None
    adversative: str | None = None
    concessive: str | None = None
    deontic: str | None = None
    proposal: str | None = None
    stance: str | None = None
    question: bool = False
    inner_conclusion: str | None = None
    evaluative: str | None = None
    proposal_lead: str | None = None
    contrast: str | None = None  # adversative at the start or "however" inside
    reported: str | None = None
    meta: bool = False
    lead: str | None = None
    predictive: str | None = None  # an epistemic or predictive modal: would, could, will, may, might
    summing_up: bool = False  # "Such hurdles ...": an anaphoric subject that sums up what came before
    after_fronted: bool = False  # the main clause after a fronted reason or concession ("Since X, Y")
    support_sense: str | None = None


def _analyse(unit: Unit, index: int) -> _Info:
    t = unit.text
    info = _Info(unit, index)
    lead = lexicon.leading(t)
    within = lexicon.inside(t)
    first = lead[0].text if lead else None

    def pick(*wanted: str, skip: tuple[str, ...] = ()) -> str | None:
        c = lexicon.sense_of([c for c in lead if c.text not in skip], *wanted)
        return c.text if c else None

    info.adversative = pick("contrast")
    info.concessive = pick("concession")
    if info.concessive in ("while", "whilst", "it may be", "it might be") and unit.clause > 0:
        info.concessive = None
    info.example = pick("example")
    inner_contrast = lexicon.sense_of(within, "contrast")
    info.contrast = info.adversative or (inner_contrast.text if inner_contrast else None)
    # "and" joins more of the same; as a lead it is no reason cue of its own
    info.support = None if info.example else pick(*REASON_SENSES, skip=("and",))
    info.support_sense = lexicon.entries()[info.support].sense if info.support else None
    info.conclusion = pick(*CONCLUSION_SENSES)
    info.meta = bool(META_DISCOURSE.match(t))
    info.lead = first
    own = PARENTHETICAL.sub(",", t)
    m = DEONTIC.search(own)
    info.deontic = re.sub(r"\s+", " ", m.group(0).lower()) if m else None
    m = PROPOSAL.search(own)
    info.proposal = m.group(0).lower() if m else None
    m = PROPOSAL_LEAD.search(own)
    if m and not ANAPHORIC_PROPOSAL.search(own[: m.end() + 1]):
        info.proposal_lead = m.group(0).split()[-1].lower()
    m = STANCE.search(own)
    info.stance = re.sub(r"\s+", " ", m.group(0).lower()) if m else None
    m = REPORTED_OPINION.search(t) or HYPOTHETICAL_OPINION.search(t) or REPORTED_SPEECH.search(t)
    info.reported = re.sub(r"\s+", " ", m.group(0).lower()) if m else None
    info.question = bool(QUESTION.search(t))
    if not info.conclusion:
        inner = lexicon.sense_of(within, "result")
        info.inner_conclusion = inner.text if inner else None
    m = EVALUATIVE.search(own) or WE_NEED.search(own)
    info.evaluative = re.sub(r"\s+", " ", m.group(0).lower()) if m else None
    m = PREDICTIVE.search(own)
    info.predictive = m.group(0).lower() if m else None
    info.summing_up = bool(SUMMING_UP.match(drop_leading_connectives(t.lstrip())))
    # every connective that fired, by its sense in the lexicon: "contrast:but", "concession:of course"
    for c in [*lead, *within]:
        if c.sense not in ("temporal",) and not (c.sense == "addition" and c.text == "and"):
            info.cues.append(f"{c.sense}:{c.text}")
    for name in ("deontic", "proposal", "stance", "reported", "evaluative"):
        value = getattr(info, name)
        if value:
            info.cues.append(f"{name}:{value}")
    if info.question:
        info.cues.append("question")
    return info


def _thesis_score(info: _Info, n: int, long_text: bool) -> float:
    s = 0.0
    if info.deontic:
        s += 3.0
    if info.stance:
        s += 3.0  # the writer says it is their position ("I argue", "in my opinion")
    if info.conclusion:
        s += 2.5
    if info.proposal and not info.deontic:
        s += 0.5
    if info.inner_conclusion:
        s += 2.5
    if info.evaluative and not info.deontic:
        s += 2.5  # a value judgement ("is unfair", "would be wise") is a standpoint as much as a "should"
    if info.support:
        s -= 2.0
    if info.example:
        s -= 3.0
    if info.concessive or info.reported:
        s -= 3.0
    if info.question:
        s -= 2.0
    if info.after_fronted and not long_text:
        s += 1.0  # "Since X, Y" / "Although X, Y": Y is what X is about
    elif info.unit.clause > 0:
        s -= 0.5
    if long_text:
        # an op-ed's thesis is the turn of its opening ("X is true, but Y")
        if info.adversative:
            s += 1.5
    else:
        if info.adversative and not info.deontic:
            s -= 1.5
        if info.index == 0:
            s += 1.5
        if info.index == n - 1:
            s += 1.2
    return s


_ACTOR_ADVERBS = (
    r"(?:also|therefore|thus|then|now|really|definitely|certainly|surely|clearly|still|first|finally|simply|"
    r"urgently|absolutely|jointly|individually|rather|however|indeed|perhaps|not|never)"
)
_ACTOR = re.compile(
    r"(?:^|[,;:]\s+)(?P<subj>[^,;:]+?)\s+(?:" + _ACTOR_ADVERBS + r",?\s+)*"
    r"(?:should|must|ought\s+to|needs?\s+to|has\s+to|have\s+to|had\s+better|would\s+(?:first\s+)?need\s+to)\b"
    r"(?!\s+(?:not\s+)?(?:\w+\s+)?be\s+\w+(?:ed|en)\b)",  # a passive names no actor
    re.I,
)
_LEADING_CONNECTIVES = re.compile(
    r"^(?:(?:and|but|or|so|then|therefore|thus|hence|however|yet|still|also|first|finally|of\s+course|"
    r"instead|rather)\b,?\s*)+",
    re.I,
)
_NO_ACTOR = {
    "it", "there", "this", "that", "these", "those", "such", "which", "what", "who", "doing", "one", "i", "you",
    "he", "she", "they", "we", "everyone", "everybody", "anyone", "nobody", "someone",
}
_IF_SUBJECT = re.compile(
    r"^\W*(?:if|when|once|as\s+soon\s+as)\s+(?P<s>[^,]+?)\s+(?:do|does|did|are|is|were|was|have|has|can|will|"
    r"want|wants|decide|decides|agree|agrees)\b",
    re.I,
)


def _actor(text: str) -> str | None:
    """The named subject of a recommendation: 'NATO should ...' → 'NATO'.

    None for passives ("must be recognized"), impersonal and anaphoric subjects
    ("it may be necessary", "this should"); a "they" that takes up the subject
    of a leading condition ("If NATO and its partners do X, they should ...")
    is resolved to it.
    """
    own = re.sub(r"\s*[—–]\s*[^—–]{1,200}?\s*[—–]\s*", " ", PARENTHETICAL.sub(",", text))
    own = re.sub(r",\s*(however|therefore|thus|though|indeed|of\s+course|in\s+turn|too|then),", r" \1", own, flags=re.I)
    m = _ACTOR.search(own)
    if not m:
        return None
    subj = _LEADING_CONNECTIVES.sub("", m.group("subj").strip()).strip()
    if not subj or len(subj.split()) > 12:
        return None
    first = subj.split()[0].lower()
    if first in ("they", "we") and len(subj.split()) == 1:
        cond = _IF_SUBJECT.match(own)
        if cond and cond.group("s").split()[0].lower() not in _NO_ACTOR:
            subj = cond.group("s").strip()
            first = subj.split()[0].lower()
        elif first == "we":
            return None
    if first in _NO_ACTOR and len(subj.split()) == 1:
        return None
    if first in ("it", "there", "this", "that", "doing", "such", "which", "what", "i", "you", "these", "those"):
        return None
    if subj.split()[0] in ("The", "Our", "All", "Every", "Each"):
        subj = subj[0].lower() + subj[1:]
    return subj


class HeuristicBackend:
    name = NAME

    def label(self, seg: Segmentation, progress: Progress | None = None) -> list[Label]:
        if not seg.units:
            return []
        every = [_analyse(u, i) for i, u in enumerate(seg.units)]
        # talk about the debate ("This concern deserves a serious answer.") is not a step of it
        meta = {x.unit.id for x in every if x.meta and len(every) > 1}
        kept = [x for x in every if x.unit.id not in meta]
        for i, x in enumerate(kept):
            x.index = i
        labels = {lab.unit: lab for lab in self._label(kept, seg)}
        return [labels.get(u.id) or Label(u.id, None, cues=["meta-discourse"], confidence=0.6) for u in seg.units]

    def _label(self, infos: list[_Info], seg: Segmentation) -> list[Label]:
        units = [x.unit for x in infos]
        n = len(units)
        long_text = seg.n_paragraphs > 2 or n > 12
        for x, prev in zip(infos[1:], infos):
            x.after_fronted = bool(
                x.unit.clause > 0 and x.unit.sentence == prev.unit.sentence and prev.unit.clause == 0
                and (prev.support_sense == "cause" or prev.concessive in FRONTED_CONCESSIVE)
            )

        # --- thesis: the best central-claim score; in a long article, among the opening paragraphs
        scores = [_thesis_score(x, n, long_text) for x in infos]
        candidates = list(range(n))
        if long_text:
            candidates = [i for i, u in enumerate(units) if u.paragraph <= 1] or candidates
        thesis = max(candidates, key=lambda i: (scores[i], -i))
        ranked = sorted((scores[i] for i in candidates), reverse=True)
        margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)

        # --- recommendations: deontic modals, or a proposal word near the start ("A less formal
        # option ...", "More feasible still may be ...") that does not point back ("Such an option")
        rec = [i != thesis and bool(x.deontic or x.proposal_lead) for i, x in enumerate(infos)]

        # --- opponent side
        opp = [False] * n
        for i, x in enumerate(infos):
            if i != thesis and (x.concessive or x.reported):
                opp[i] = True
        for i in range(n - 1):
            if i == thesis or opp[i] or rec[i]:
                continue
            nxt = infos[i + 1]
            # a conclusion, a reason or an answer is not what the author concedes
            committed = infos[i].conclusion or infos[i].inner_conclusion
            turn = nxt.adversative or (
                nxt.contrast and nxt.unit.clause > 0 and nxt.unit.sentence == infos[i].unit.sentence
            )
            if turn and i + 1 != thesis and not committed and not infos[i].contrast:
                opp[i] = True  # a statement answered by "but ..." is conceded
            elif nxt.adversative and i + 1 != thesis and committed and not long_text:
                opp[i + 1] = True  # ... so the "but" turns against the author's side
            elif nxt.contrast and i + 1 == thesis and not infos[i].support:
                opp[i] = True
        for i in range(n - 2, -1, -1):
            # "A may be so, and B, but C": what is joined to a conceded clause is conceded too
            nxt = infos[i + 1]
            if (opp[i + 1] and i != thesis and not opp[i] and not rec[i] and nxt.unit.clause > 0
                    and not nxt.contrast and not nxt.concessive and not nxt.reported
                    and nxt.unit.sentence == infos[i].unit.sentence):
                opp[i] = True
        for i in range(1, n):
            # "X, however, ..." right after the thesis speaks against it
            x = infos[i]
            if i != thesis and i - 1 == thesis and x.contrast and not x.adversative and not x.deontic:
                opp[i] = True

        kind: list[str] = ["premise"] * n
        target: list[int | None] = [None] * n
        relation: list[str | None] = [None] * n
        kind[thesis] = "thesis"
        extra: list[list[str]] = [[] for _ in range(n)]

        def anchor(i: int) -> int:
            """What a reason without a local cue supports."""
            return _nearest_claim(i, kind, units, thesis) if long_text else thesis

        for i in range(n):
            if i == thesis:
                continue
            x = infos[i]
            u = x.unit
            prev_opp = i > 0 and opp[i - 1] and (i - 1) != thesis
            prev = infos[i - 1] if i > 0 else None
            if opp[i] and prev_opp and not (x.concessive or x.reported or x.contrast):
                # conceded too, right after a concession: more of the conceded view
                kind[i] = "premise"
                relation[i], target[i] = "supports", i - 1
                extra[i].append("elaborates-objection")
                continue
            if opp[i]:
                kind[i] = "objection"
                relation[i] = "attacks"
                target[i] = anchor(i)
                continue
            if prev_opp and x.contrast:
                # the answer to an objection attacks it (the objection itself, not its elaboration)
                kind[i] = "recommendation" if rec[i] else "claim"
                head = i - 1
                while "elaborates-objection" in extra[head] and target[head] is not None:
                    head = target[head]
                relation[i], target[i] = "attacks", head
                extra[i].append("answers-objection")
                continue
            if (prev_opp and prev is not None and prev.concessive in FRONTED_CONCESSIVE
                    and u.clause > 0 and u.sentence == prev.unit.sentence and prev.unit.clause == 0):
                # "Although X, Y": Y answers X
                kind[i] = "recommendation" if rec[i] else "claim"
                relation[i], target[i] = "attacks", i - 1
                extra[i].append("answers-objection")
                continue
            if prev_opp and not (rec[i] and long_text) and x.support_sense not in ADDITIVE_SENSES and not x.conclusion and (
                u.sentence == prev.unit.sentence or any(infos[j].contrast for j in range(i + 1, min(n, i + 3)))
            ):
                # more of the conceded view, before the answer arrives
                opp[i] = True
                kind[i] = "premise"
                relation[i], target[i] = "supports", i - 1
                extra[i].append("elaborates-objection")
                continue
            relation[i] = "supports"
            if rec[i]:
                kind[i] = "recommendation"
            elif x.conclusion or x.stance:
                kind[i] = "claim"
            elif long_text and (i == 0 or units[i - 1].paragraph != u.paragraph) and not (x.support or x.example):
                kind[i] = "claim"  # the topic sentence of a paragraph
                extra[i].append("position:paragraph-start")
            elif long_text and not (x.support or x.example) and (x.predictive or x.summing_up or x.evaluative):
                # a prediction or an assessment ("X could lead to ...", "Such hurdles have been too high")
                # is inferred from the facts around it: a claim, not a premise
                kind[i] = "claim"
                extra[i].append(f"modal:{x.predictive}" if x.predictive else
                                "summing-up:such" if x.summing_up else "evaluative")
            if x.example and i > 0:
                target[i] = i - 1
            elif x.support and u.clause > 0 and i > 0:
                target[i] = i - 1
            elif (x.support_sense == "cause" and i > 0 and i - 1 != thesis and kind[i - 1] != "objection"
                  and units[i - 1].paragraph == u.paragraph):
                target[i] = i - 1
            elif kind[i] in ("claim", "recommendation") and long_text:
                target[i] = thesis
            else:
                target[i] = anchor(i)

        # guarantee acyclicity: re-point any edge that would close a cycle to the thesis
        for i in range(n):
            if i == thesis:
                continue
            seen = {i}
            j = target[i]
            while j is not None and j != thesis:
                if j in seen:
                    target[i] = thesis
                    relation[i] = "attacks" if kind[i] == "objection" else "supports"
                    break
                seen.add(j)
                j = target[j]

        # proposed schemes, on support relations only
        schemes: list[str | None] = [None] * n
        for i, x in enumerate(infos):
            if target[i] is None or relation[i] != "supports" or kind[i] == "objection":
                continue
            t = target[i]
            if EXPERT_SOURCE.search(x.unit.text):
                schemes[i] = "expert-opinion"
            elif (kind[t] == "recommendation" or (kind[t] == "thesis" and infos[t].deontic)) and (
                    GOAL_CLAUSE.search(x.unit.text) or GOAL_CLAUSE.search(units[t].text)):
                schemes[i] = "practical-reasoning"

        labels: list[Label] = []
        actors: list[str | None] = [None] * n
        for i, x in enumerate(infos):
            if kind[i] != "recommendation":
                continue
            actors[i] = _actor(x.unit.text)
            if actors[i] is None and x.unit.clause > 0 and i > 0 and units[i - 1].sentence == x.unit.sentence \
                    and re.match(r"\W*(?:and|but|or)\s+(?:\w+\s+)?(?:should|must|ought|need)", x.unit.text, re.I):
                actors[i] = actors[i - 1]  # "X should A and should also B": the same actor
        for i, x in enumerate(infos):
            cues = list(x.cues) + extra[i]
            if i == thesis:
                cues.append("position:first" if i == 0 else "position:last" if i == n - 1 else "position:middle")
            labels.append(
                Label(
                    unit=x.unit.id,
                    kind=kind[i],
                    target=units[target[i]].id if target[i] is not None else None,
                    relation=relation[i] if target[i] is not None else None,
                    confidence=_confidence(x, kind[i], i == thesis, margin, extra[i]),
                    cues=cues,
                    actor=actors[i],
                    scheme=schemes[i],
                )
            )
        return labels


def _nearest_claim(i: int, kind: list[str], units: list[Unit], thesis: int) -> int:
    """In a long article: the closest earlier claim/recommendation of the same paragraph, else the thesis.

    In the thesis's own paragraph (an op-ed's lede) it is the thesis: the lede's background and
    concessions are about the thesis, not about the sentence before them.
    """
    para = units[i].paragraph
    if units[thesis].paragraph == para:
        return thesis
    for j in range(i - 1, -1, -1):
        if units[j].paragraph != para:
            break
        if kind[j] in ("claim", "recommendation", "thesis"):
            return j
    return thesis


def _confidence(x: _Info, kind: str, is_thesis: bool, margin: float, extra: list[str]) -> float:
    """How sure the rules are: an explicit cue for the label chosen scores high, position alone low."""
    if is_thesis:
        base = 0.4 + min(margin, 4.0) * 0.1
    elif kind == "objection":
        base = 0.75 if (x.concessive or x.reported) else 0.5  # said so, or inferred from the "but" after it
    elif kind == "recommendation":
        base = 0.75 if x.deontic else 0.5
    elif "answers-objection" in extra:
        base = 0.7 if x.contrast else 0.6
    elif "elaborates-objection" in extra:
        base = 0.45
    else:
        cued = x.support or x.example or x.conclusion or x.inner_conclusion or x.stance or x.evaluative
        base = 0.6 if cued else 0.35
    return round(max(0.05, min(0.95, base)), 2)
