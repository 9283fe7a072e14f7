"""电脑派位: the public sha256-rank rule, the published document and its verification."""

from __future__ import annotations

import copy
import hashlib
import io
import itertools
import json

import pytest

from edubrain.core.enrollment.lottery import (
    ALGORITHM,
    ALGORITHM_TEXT,
    DrawInput,
    canonical_json,
    digest,
    draw_key,
    draw_order,
    lottery_command,
    publish,
    round_document,
    verify,
)
from edubrain.core.errors import CoreError

SEED = "2027-沂源-小学"
RECEIPTS = [f"2027P{n:05d}" for n in range(1, 21)]


def make_draw(places: int = 3, seed: str = SEED, receipts: list[str] | None = None) -> DrawInput:
    receipts = RECEIPTS[:7] if receipts is None else receipts
    return DrawInput(
        round_name="2027年小学一年级招生",
        school_code="3703230001",
        school_name="沂源县第一实验小学",
        tier="hukou",
        tier_label="户籍",
        seed=seed,
        places=places,
        candidates=tuple((r, f"张{'*' * (1 + i % 2)}") for i, r in enumerate(reversed(receipts))),
    )


def test_a_known_vector_computed_with_hashlib():
    seed, receipts = "种子42", ["B-2", "A-1", "C-3", "D-4"]
    keys = {r: hashlib.sha256(("种子42|" + r).encode("utf-8")).hexdigest() for r in receipts}
    assert sorted(receipts, key=lambda r: keys[r]) == draw_order(seed, receipts)
    assert draw_key(seed, "A-1") == keys["A-1"]
    # the literal value, so a change of the rule (separator, encoding, case) cannot pass unnoticed
    assert draw_key("s", "1") == hashlib.sha256(b"s|1").hexdigest()
    assert len(draw_key("s", "1")) == 64 and draw_key("s", "1") == draw_key("s", "1").lower()


def test_the_order_is_deterministic_and_independent_of_input_order():
    first = draw_order(SEED, RECEIPTS[:6])
    for perm in itertools.islice(itertools.permutations(RECEIPTS[:6]), 0, 720, 37):
        assert draw_order(SEED, list(perm)) == first
    assert sorted(first) == sorted(RECEIPTS[:6])


def test_another_seed_gives_another_order():
    assert draw_order(SEED, RECEIPTS) != draw_order(SEED + "x", RECEIPTS)


def test_a_repeated_receipt_is_refused():
    with pytest.raises(CoreError) as err:
        draw_order(SEED, ["A", "B", "A"])
    assert err.value.code == "lottery.duplicate" and "“A”重复" in err.value.message
    with pytest.raises(CoreError):
        publish(make_draw(receipts=["A", "B", "A"]), drawn_at="2027-07-10T09:00:00+08:00")


def test_publish_holds_the_inputs_and_the_first_places_in_draw_order():
    draw = make_draw(places=3)
    doc = publish(draw, drawn_at="2027-07-10T09:00:00+08:00")
    receipts = sorted(RECEIPTS[:7])
    assert doc["format"] == "edubrain-lottery" and doc["version"] == 1
    assert doc["algorithm"] == ALGORITHM and doc["algorithm_text"] == ALGORITHM_TEXT
    assert (doc["seed"], doc["places"], doc["tier"], doc["tier_label"]) == (SEED, 3, "hukou", "户籍")
    assert doc["school_code"] == "3703230001" and doc["school"] == "沂源县第一实验小学"
    assert [c["receipt"] for c in doc["candidates"]] == receipts
    assert doc["candidates_sha256"] == hashlib.sha256("\n".join(receipts).encode()).hexdigest()
    order = sorted(receipts, key=lambda r: hashlib.sha256(f"{SEED}|{r}".encode()).hexdigest())
    assert [(a["no"], a["receipt"]) for a in doc["admitted"]] == list(enumerate(order[:3], start=1))
    names = dict(draw.candidates)
    assert all(a["name"] == names[a["receipt"]] for a in doc["admitted"])


@pytest.mark.parametrize(("places", "admitted"), [(0, 0), (6, 6), (7, 7), (8, 7)])
def test_places_around_the_number_of_candidates(places, admitted):
    doc = publish(make_draw(places=places), drawn_at="t")
    assert len(doc["admitted"]) == admitted
    assert verify(doc)[0].matches is True


def test_publish_then_verify_round_trip_through_json():
    doc = publish(make_draw(places=2), drawn_at="t")
    [v] = verify(json.loads(canonical_json(doc)))
    assert v.matches is True and v.problems == []
    assert v.admitted == [(a["no"], a["receipt"], a["name"]) for a in doc["admitted"]]
    assert (v.school, v.tier_label, v.seed, v.places) == ("沂源县第一实验小学", "户籍", SEED, 2)
    assert len(v.candidates) == 7


def test_tampered_admitted_list_does_not_match():
    doc = publish(make_draw(places=2), drawn_at="t")
    loser = next(
        c["receipt"] for c in doc["candidates"] if c["receipt"] not in {a["receipt"] for a in doc["admitted"]}
    )
    tampered = copy.deepcopy(doc)
    tampered["admitted"][1]["receipt"] = loser
    [v] = verify(tampered)
    assert v.matches is False and "录取名单" in v.problems[0]
    swapped = copy.deepcopy(doc)
    swapped["admitted"][0]["no"], swapped["admitted"][1]["no"] = 2, 1
    assert verify(swapped)[0].matches is False


def test_a_tampered_seed_changes_the_result():
    doc = publish(make_draw(places=3, receipts=RECEIPTS), drawn_at="t")
    tampered = dict(doc, seed=SEED + "!")
    [v] = verify(tampered)
    assert [r for _, r, _ in v.admitted] != [a["receipt"] for a in doc["admitted"]]
    assert v.matches is False


def test_a_changed_candidate_list_breaks_the_fingerprint():
    doc = publish(make_draw(places=3), drawn_at="t")
    admitted = {a["receipt"] for a in doc["admitted"]}
    tampered = dict(doc, candidates=[c for c in doc["candidates"] if c["receipt"] in admitted])
    [v] = verify(tampered)  # the same three still win among themselves, but the list was cut
    assert v.matches is False and any("candidates_sha256" in p for p in v.problems)


def test_nothing_to_compare_gives_none():
    doc = publish(make_draw(places=2), drawn_at="t")
    bare = {k: v for k, v in doc.items() if k not in ("admitted", "candidates_sha256")}
    [v] = verify(bare)
    assert v.matches is None and len(v.admitted) == 2


def test_a_round_document_verifies_every_draw():
    one = publish(make_draw(places=2), drawn_at="t")
    two = publish(make_draw(places=1, seed="other", receipts=RECEIPTS[7:12]), drawn_at="t")
    doc = round_document("2027年小学一年级招生", [one, two])
    assert doc == {
        "format": "edubrain-lottery-round",
        "version": 1,
        "round": "2027年小学一年级招生",
        "draws": [one, two],
    }
    assert [v.matches for v in verify(doc)] == [True, True]
    doc["draws"][1]["admitted"][0]["receipt"] = "X"
    assert [v.matches for v in verify(doc)] == [True, False]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"format": "something"}, "format"),
        ({"seed": ""}, "种子"),
        ({"places": -1}, "名额"),
        ({"places": True}, "名额"),
        ({"places": "3"}, "名额"),
        ({"candidates": "A,B"}, "参加派位名单"),
        ({"candidates": [{"name": "张*"}]}, "第1项缺少报名号"),
        ({"algorithm": "md5"}, "派位算法"),
        ({"admitted": "A"}, "录取名单"),
    ],
)
def test_malformed_documents_are_refused_in_chinese(change, words):
    doc = publish(make_draw(), drawn_at="t") | change
    with pytest.raises(CoreError) as err:
        verify(doc)
    assert words in err.value.message


def test_a_malformed_draw_in_a_round_is_named_by_its_number():
    good = publish(make_draw(), drawn_at="t")
    with pytest.raises(CoreError) as err:
        verify(round_document("r", [good, dict(good, seed=None)]))
    assert "第2次派位" in err.value.message
    with pytest.raises(CoreError):
        verify({"format": "edubrain-lottery-round", "draws": None})
    with pytest.raises(CoreError):
        verify({"hello": 1})


def test_canonical_json_and_digest():
    doc = {"b": 1, "a": {"名": "张*", "z": [1, 2]}}
    assert canonical_json(doc) == '{"a":{"z":[1,2],"名":"张*"},"b":1}'.encode()
    assert digest(doc) == hashlib.sha256(canonical_json(doc)).hexdigest()
    assert digest(doc) == digest({"a": {"z": [1, 2], "名": "张*"}, "b": 1})
    assert digest(doc) != digest({"b": 2, "a": {"名": "张*", "z": [1, 2]}})


# ``edubrain enrollment lottery FILE.json`` in process (tests/apps/cli runs the real command in a subprocess)


def document(places: int = 2, seed: str = SEED, first: int = 0) -> dict:
    return publish(make_draw(places, seed, RECEIPTS[first : first + 5]), drawn_at="2027-07-10T09:00:00+08:00")


def run(tmp_path, content: str | dict, name: str = "draw.json") -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = lottery_command([str(path)], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_published_draw_prints_the_admitted_list_and_matches(tmp_path):
    doc = document()
    code, out, err = run(tmp_path, doc)
    assert code == 0 and err == ""
    assert "沂源县第一实验小学" in out and "户籍" in out and doc["seed"] in out and "名额：2" in out
    for a in doc["admitted"]:
        assert f"{a['no']}\t{a['receipt']}\t{a['name']}" in out
    assert "派位序号\t报名号\t姓名" in out
    assert out.rstrip().endswith("与公布结果一致")


def test_a_tampered_document_exits_1(tmp_path):
    doc = document()
    doc["admitted"][0]["receipt"], doc["admitted"][1]["receipt"] = (
        doc["admitted"][1]["receipt"],
        doc["admitted"][0]["receipt"],
    )
    code, out, _ = run(tmp_path, doc)
    assert code == 1 and "与公布结果不一致" in out


def test_nothing_to_compare_exits_0(tmp_path):
    doc = {k: v for k, v in document().items() if k not in ("admitted", "candidates_sha256")}
    code, out, _ = run(tmp_path, doc)
    assert code == 0 and "无可比对" in out and "1\t2027P" in out


def test_a_round_document_with_several_draws(tmp_path):
    doc = round_document("2027年小学一年级招生", [document(), document(places=1, seed="s2", first=10)])
    code, out, _ = run(tmp_path, doc)
    assert code == 0 and "第1次派位" in out and "第2次派位" in out and "全部与公布结果一致" in out
    doc["draws"][1]["places"] = 2  # the published list no longer follows from the inputs
    code, out, _ = run(tmp_path, doc)
    assert code == 1 and "1次派位与公布结果不一致" in out


def test_bad_input_exits_2_with_a_chinese_message(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert lottery_command([str(tmp_path / "missing.json")], stdout=out, stderr=err) == 2
    assert "找不到派位文件" in err.getvalue() and out.getvalue() == ""
    code, _, err_text = run(tmp_path, "{not json")
    assert code == 2 and "不是有效的 JSON" in err_text and "第1行" in err_text
    code, _, err_text = run(tmp_path, {"format": "other"})
    assert code == 2 and "不是电脑派位公布文件" in err_text
    code, _, err_text = run(tmp_path, "[1, 2]")
    assert code == 2 and "JSON 对象" in err_text
    (tmp_path / "gbk.json").write_bytes('{"名": 1}'.encode("gbk"))
    assert lottery_command([str(tmp_path / "gbk.json")], stdout=out, stderr=err) == 2
    assert "UTF-8" in err.getvalue()


def test_a_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(document()).encode())
    assert lottery_command([str(tmp_path / "bom.json")], stdout=io.StringIO(), stderr=io.StringIO()) == 0
