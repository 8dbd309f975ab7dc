#!/usr/bin/env python3
"""Writes datasets/guideline/: short training sentences generated from the
annotation guidelines' rules (datasets/guidelines.md), with their gold rows.

Why: the systematic errors of the model (holder taken for target, calls
addressed to one belligerent spread to the other, defences read as attacks,
the victim of a condemned attack condemned with its agent, concern-only and
humanitarian-only calls labelled) are rare in the news
data, so the model sees few examples of the rule. Each template below states
one guideline rule; party names and speakers are swapped through it, so the
model has to learn the rule and not which party tends to be condemned.

These templates are written apart from the behaviour suite
(tests/behaviour/suite.toml): other verbs, other sentence shapes, other
speakers. `tests/guideline_set.rs` checks that no template of one is a
template of the other, and that the committed files are this script's output.

Deterministic: `python3 scripts/make_guideline_set.py [OUT_DIR]` rewrites the
same bytes (default OUT_DIR: datasets/guideline); `--templates` prints the
templates, one per line.
"""

import json
import random
import sys
from pathlib import Path

SEED = 20231007
PER_TEMPLATE = 12
OUT = Path(__file__).resolve().parent.parent / "datasets" / "guideline"

# Names each party's aliases match (config/parties-extended.toml).
NAMES = {
    "israel": ["Israel", "the Israeli government", "Netanyahu", "the Israeli army"],
    "hamas": ["Hamas", "the Qassam Brigades", "Haniyeh", "Hamas's leadership"],
    "palestinians": ["the Palestinian Authority", "the Palestinians", "Abbas"],
    "united_states": ["the United States", "Washington", "the White House", "Blinken"],
    "russia": ["Russia", "Moscow", "the Kremlin", "Lavrov"],
}
# Speakers outside the five parties: (name, holder slug).
OUTSIDERS = [
    ("Egypt", "egypt"),
    ("Qatar", "qatar"),
    ("Turkey", "turkey"),
    ("China", "china"),
    ("the European Union", "european_union"),
    ("Brazil", "brazil"),
    ("Jordan", "jordan"),
    ("Saudi Arabia", "saudi_arabia"),
    ("Norway", "norway"),
    ("the Arab League", "arab_league"),
    ("Guterres", "united_nations"),
    ("South Africa", "south_africa"),
    ("Britain", "united_kingdom"),
    ("Ireland", "ireland"),
]
# Every sentence gets a row for each belligerent, 0 where the rule gives it
# nothing, so that training sees it as a candidate ("urged Israel to…" must
# teach "Hamas: 0").
BELLIGERENTS = ["israel", "hamas"]
# (agent, victim) of an attack, for the templates about victims.
VICTIM_PAIRS = [("hamas", "israel"), ("israel", "hamas"), ("israel", "palestinians")]
# Names that read as the one who attacks and the one attacked (a leader is
# neither "raided" nor "the victim's speaker" in these sentences).
AGENT_NAMES = {
    "israel": ["Israel", "the Israeli army", "Israeli forces"],
    "hamas": ["Hamas", "the Qassam Brigades", "Hamas gunmen"],
}
VICTIM_NAMES = {
    "israel": ["Israel", "Israeli civilians", "Israeli towns"],
    "hamas": ["Hamas", "Hamas's fighters"],
    "palestinians": ["the Palestinians", "Gaza", "Palestinian civilians"],
}
VICTIM_SPEAKERS = {
    "israel": ["Israel", "the Israeli government"],
    "hamas": ["Hamas"],
    "palestinians": ["the Palestinian Authority"],
}

# Each template: `text` with {H} (the speaker) and optionally {B}, {C} (the
# parties in `b`, `c`, or one (B, C) of `pairs`); `labels` maps a slot or a
# party id to its label (every other party: 0), following the rule named in
# `rule`; `speakers`: "any" (default: the outsiders, the US and Russia),
# "outsider_or_russia", or "victim" (the party in C speaks, named as H).
TEMPLATES = [
    # Holder is not target: the speaker's own row is 0.
    dict(rule="condemnation of B by the speaker", text="{H} denounced the shelling carried out by {B} as a grave crime.",
         b=["israel", "hamas", "russia", "united_states"], labels={"B": "condemn"}),
    dict(rule="blame is condemnation", text="{H} said {B} bore full responsibility for the bloodshed.",
         b=["israel", "hamas", "united_states", "russia"], labels={"B": "condemn"}),
    dict(rule="accusation is condemnation", text="In a statement, {H} charged that {B} had broken international law.",
         b=["israel", "hamas", "united_states", "russia"], labels={"B": "condemn"}),
    dict(rule="support by the speaker", text="{H} pledged its unwavering backing for {B}.",
         b=["israel", "palestinians", "hamas", "united_states", "russia"], labels={"B": "support"}),
    dict(rule="condolences are support", text="{H} sent condolences to {B} after the deadly attack.",
         b=["israel", "palestinians", "united_states", "russia"], labels={"B": "support"}),
    dict(rule="a right defended is support", text="{H} defended the right of {B} to security and self-defence.",
         b=["israel", "palestinians"], labels={"B": "support"}),
    # Defence and negation.
    dict(rule="defending against a charge is support", text="{H} insisted that {B} should not be branded a terrorist group.",
         b=["hamas", "palestinians", "israel"], labels={"B": "support"}, speakers="outsider_or_russia"),
    dict(rule="rejecting an accusation is support", text="{H} dismissed accusations that {B} had deliberately targeted civilians.",
         b=["israel", "hamas", "russia", "united_states"], labels={"B": "support"}),
    dict(rule="denying responsibility is support", text="{H} denied that {B} was to blame for the explosion at the hospital.",
         b=["israel", "hamas", "palestinians"], labels={"B": "support"}),
    dict(rule="not condemning is no condemnation", text="{H} stopped short of condemning {B} in its remarks.",
         b=["hamas", "israel", "russia"], labels={}),
    dict(rule="refusing to blame is no condemnation", text="{H} declined to criticise {B} over the raid.",
         b=["israel", "hamas"], labels={}),
    # Ceasefire calls addressed to a named belligerent: that party only.
    dict(rule="a call addressed to B targets B only", text="{H} pressed {B} to halt its military operations at once.",
         b=BELLIGERENTS, labels={"B": "ceasefire"}),
    dict(rule="a call addressed to B targets B only", text="{H} told {B} to exercise maximum restraint.",
         b=BELLIGERENTS, labels={"B": "ceasefire"}),
    dict(rule="a call addressed to B targets B only", text="{H} appealed to {B} to stop the bombardment and accept a truce.",
         b=BELLIGERENTS, labels={"B": "ceasefire"}),
    dict(rule="a call addressed to both belligerents", text="{H} asked both {B} and {C} to hold their fire.",
         b=["israel"], c=["hamas"], labels={"B": "ceasefire", "C": "ceasefire"}),
    # Ceasefire calls without addressee: the belligerents, + palestinians when Gaza is named.
    dict(rule="an unaddressed call targets the belligerents", text="{H} appealed for an immediate halt to the hostilities.",
         labels={"israel": "ceasefire", "hamas": "ceasefire"}),
    dict(rule="renouncing force targets the belligerents", text="{H} stressed that there is no military solution to the conflict.",
         labels={"israel": "ceasefire", "hamas": "ceasefire"}),
    dict(rule="an unaddressed call naming Gaza adds palestinians", text="{H} pushed for a lasting truce in Gaza.",
         labels={"israel": "ceasefire", "hamas": "ceasefire", "palestinians": "ceasefire"}),
    dict(rule="a call to all sides targets the belligerents", text="{H} demanded that the warring parties lay down their arms.",
         labels={"israel": "ceasefire", "hamas": "ceasefire"}),
    # Not labelled: concern, humanitarian calls, contacts, facts.
    dict(rule="concern alone is not a stance", text="{H} said it was alarmed by the spiralling violence.", labels={}),
    dict(rule="concern alone is not a stance", text="{H} voiced grave worry about the situation in Gaza.", labels={}),
    dict(rule="a humanitarian call is not a ceasefire call", text="{H} demanded unhindered access for aid convoys into Gaza.", labels={}),
    dict(rule="a humanitarian call addressed to B is not a ceasefire call", text="{H} urged {B} to let fuel and medicine into the enclave.",
         b=["israel"], labels={}),
    dict(rule="a humanitarian call addressed to B is not a ceasefire call", text="{H} called on {B} to spare hospitals and schools.",
         b=BELLIGERENTS, labels={}),
    dict(rule="contacts are not support", text="{H} held talks with {B} in Cairo on Monday.",
         b=["israel", "hamas", "palestinians", "united_states", "russia"], labels={}),
    dict(rule="relations are not support", text="{H} has kept close ties with {B} for years.",
         b=["israel", "hamas", "palestinians", "russia"], labels={}),
    dict(rule="a factual report is not a stance", text="{B} carried out a new wave of strikes overnight, {H} said.",
         b=BELLIGERENTS, labels={}),
    dict(rule="a factual report is not a stance", text="{H} abstained in the vote on the draft resolution.", labels={}),
    # The victim of a condemned act is not condemned ("victim framing without
    # advocacy"): the agent B is, the victim C gets 0 unless backed.
    dict(rule="condemning an attack condemns its agent, not its victim", text="{H} condemned the assault that {B} launched against {C}.",
         pairs=VICTIM_PAIRS, labels={"B": "condemn"}),
    dict(rule="condemning an attack condemns its agent, not its victim", text="The raids by {B} on {C} were condemned by {H} as barbaric.",
         pairs=VICTIM_PAIRS, labels={"B": "condemn"}),
    dict(rule="the victim speaking condemns the agent", text="{H} denounced the attack by {B} on its people.",
         pairs=VICTIM_PAIRS, labels={"B": "condemn"}, speakers="victim"),
    dict(rule="solidarity with a victim is support; the attack named is a fact", text="{H} expressed solidarity with {C} after the raid by {B}.",
         pairs=VICTIM_PAIRS, labels={"C": "support"}),
    # Rejecting a ceasefire is not calling for one; a defence is support.
    dict(rule="rejecting a ceasefire is not a ceasefire call", text="{H} rejected calls for an immediate truce.", labels={}),
    dict(rule="defending against a charge is support", text="{H} said {B} was a liberation movement rather than a terrorist group.",
         b=["hamas"], names={"hamas": ["Hamas", "the Islamic Resistance Movement"]}, labels={"B": "support"},
         speakers="outsider_or_russia"),
]


def speaker_pool(template):
    """(name, holder slug, party id or None) of the speakers a template takes."""
    outsiders = [(n, slug, None) for n, slug in OUTSIDERS]
    big = [(n, p, p) for p in ("united_states", "russia") for n in NAMES[p]]
    kind = template.get("speakers", "any")
    if kind == "outsider_or_russia":
        return outsiders + [x for x in big if x[2] == "russia"]
    return outsiders + big


def capitalise(s):
    return s[0].upper() + s[1:]


def instances(template, rng):
    """Filled sentences of one template with their gold labels and holder."""
    out = []
    for _ in range(PER_TEMPLATE):
        if template.get("speakers") == "victim":
            agent, victim = rng.choice(template["pairs"])
            out.append(filled(template, rng, (rng.choice(VICTIM_SPEAKERS[victim]), victim, victim), agent, victim))
            continue
        speaker_name, holder, speaker_party = rng.choice(speaker_pool(template))
        if "pairs" in template:
            agent, victim = rng.choice([p for p in template["pairs"] if speaker_party not in p])
            out.append(filled(template, rng, (speaker_name, holder, speaker_party), agent, victim))
            continue
        fill = {"H": speaker_name}
        parties = {}
        for slot in ("B", "C"):
            key = slot.lower()
            if key in template:
                choices = [p for p in template[key] if p != speaker_party]
                party = rng.choice(choices)
                parties[slot] = party
                fill[slot] = rng.choice(template.get("names", NAMES)[party])
        text = capitalise(template["text"].format(**fill))
        out.append((text, slot_labels(template, parties), holder, speaker_party, set(parties.values())))
    return out


def filled(template, rng, speaker, agent, victim):
    """One sentence of a template over an (agent, victim) pair."""
    speaker_name, holder, speaker_party = speaker
    parties = {"B": agent, "C": victim}
    fill = {"H": speaker_name, "B": rng.choice(AGENT_NAMES[agent]), "C": rng.choice(VICTIM_NAMES[victim])}
    text = capitalise(template["text"].format(**fill))
    named = set(parties.values()) - ({speaker_party} if template.get("speakers") == "victim" else set())
    return text, slot_labels(template, parties), holder, speaker_party, named


def slot_labels(template, parties):
    """Party id -> its labels, from the template's slot (or party id) labels."""
    labels = {}
    for who, label in template["labels"].items():
        labels.setdefault(parties.get(who, who), set()).add(label)
    return labels


def gold_rows(article_id, text, labels, holder, speaker_party, named):
    """One row per labelled party, per party named, per belligerent."""
    rows = []
    parties = set(labels) | named | set(BELLIGERENTS)
    if speaker_party:
        parties.add(speaker_party)
    if "Gaza" in text:
        parties.add("palestinians")
    for party in sorted(parties):
        got = labels.get(party, set())
        mention = "explicit" if party in named or party == speaker_party or (
            party == "palestinians" and "Gaza" in text) else "implicit"
        rows.append({
            "article_id": article_id,
            "sentence_index": 0,
            "sentence": text,
            "party": party,
            "holder": holder if got else None,
            "condemn": int("condemn" in got),
            "support": int("support" in got),
            "ceasefire": int("ceasefire" in got),
            "uncertain": False,
            "mention": mention,
        })
    return rows


def main():
    if sys.argv[1:] == ["--templates"]:
        for template in TEMPLATES:
            print(template["text"])
        return
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    rng = random.Random(SEED)
    articles, gold = [], []
    seen = set()
    for t, template in enumerate(TEMPLATES):
        for text, labels, holder, speaker_party, named in instances(template, rng):
            if text in seen:
                continue
            seen.add(text)
            article_id = f"guideline_{t:02d}_{len(articles):04d}"
            articles.append({
                "id": article_id,
                "title": "",
                "source_url": f"synthetic:guideline-{t:02d}",
                "rule": template["rule"],
                "text": text,
                "sentences": [text],
            })
            gold.extend(gold_rows(article_id, text, labels, holder, speaker_party, named))
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "articles.jsonl", "w") as f:
        for a in articles:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(out / "gold.jsonl", "w") as f:
        for r in gold:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(articles)} sentences, {len(gold)} rows -> {out}")


if __name__ == "__main__":
    main()
