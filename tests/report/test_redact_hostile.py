"""`--redact` against personal data where it does not belong: names written where an id belongs,
one-character names, spelling variants (spaces, letter case, full width), spaced identity numbers,
waiver reasons, the file name of a case that cannot be read, and shared (aliased) data."""
from __future__ import annotations

import copy
import json
import time

from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.report.redact import FILE_TOKEN, ID_NUMBER_TOKEN, NAME_TOKEN, Redactor, normalise
from casedata import attend, dump

ID_NUMBER = "110101198005120011"


def test_every_value_of_a_personal_field_is_redacted_whether_or_not_it_resolves():
    data = {"body": {"name": "中共清溪县委常委会", "members": [{"id": "m1", "name": "王"}, {"id": "m2", "name": 12345}]},
            "candidates": [{"id": "c1", "name": "Li Si", "id_number": 42}],
            "meetings": [{"attendees": ["m1", "周建国"], "chair": "赵", "agenda": [{"candidate": "c1", "presenter": "m9x"}]}]}
    r = Redactor.for_case(data)
    assert r.text("周建国") == NAME_TOKEN and r.text("赵") == NAME_TOKEN and r.text("m9x") == NAME_TOKEN
    assert r.text("m1") == "m1" and r.text("c1") == "c1"  # ids that resolve stay: they are not names
    assert r.text("王") == "〔m1〕" and r.text("12345") == "〔m2〕" and r.text("42") == ID_NUMBER_TOKEN
    # one character, or Latin letters: only where it stands alone
    assert r.text("主持人：王；地点：王府井") == "主持人：〔m1〕；地点：王府井"
    assert r.text("LI  SI attended; Lisinopril is a drug") == "〔c1〕 attended; Lisinopril is a drug"
    assert r.text("中共清溪县委常委会") == "中共清溪县委常委会"


def test_free_text_variants_are_found():
    r = Redactor.for_case({"candidates": [{"id": "c1", "name": "马俊杰", "id_number": ID_NUMBER},
                                          {"id": "c2", "name": "Anna Lee"}]})
    assert r.text("提拔马 俊杰（马\u3000俊杰）") == "提拔〔c1〕（〔c1〕）"
    assert r.text("ＡＮＮＡ ｌｅｅ and anna-lee") == "〔c2〕 and 〔c2〕"
    spaced = "身份证 1101 0119 8005 1200 11、１１０１０１１９８００５１２００１１、110101-19800512-0011"
    assert r.text(spaced) == f"身份证 {ID_NUMBER_TOKEN}、{ID_NUMBER_TOKEN}、{ID_NUMBER_TOKEN}"
    assert normalise("Ａ－b\u3000C") == "abc"


def test_shared_data_is_walked_once():
    layer: list = ["x"] * 10
    for _ in range(40):  # 10**40 strings if walked as a tree (what a YAML alias bomb builds)
        layer = [layer] * 10
    start = time.perf_counter()
    r = Redactor.for_case({"candidates": [{"id": "c1", "name": "马俊杰"}], "notes": layer})
    assert time.perf_counter() - start < 2 and r.text("马俊杰") == "〔c1〕"


def test_the_audit_redacts_reasons_ids_and_unreadable_file_names(tmp_path, baseline):
    root = tmp_path / "cases"
    root.mkdir()
    one = copy.deepcopy(baseline)
    candidate = one["candidates"][0]["name"]  # 马俊杰
    principal = one["body"]["members"][0]["name"]  # 周建国
    one["id"] = "2021-qx-czj-201"
    one["title"] = f"提拔{candidate[0]} {candidate[1:]}（{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}）"
    one["candidates"][0]["id_number"] = ID_NUMBER
    one["appointments"][0]["candidate"] = candidate  # a name where the id belongs (invalid: dangling)
    (root / "1.json").write_text(dump(one), encoding="utf-8")
    two = copy.deepcopy(baseline)
    two["id"] = "2021-qx-czj-202"
    attend(two, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])  # DEC-QUORUM violated, waived below
    (root / "2.json").write_text(dump(two), encoding="utf-8")
    (root / f"3-{principal}.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"- case: 2021-qx-czj-202\n  rule: DEC-QUORUM\n  approver: 王审批\n"
                       f"  reason: 经{principal}同志书面同意\n  expires: 2030-12-31\n", encoding="utf-8")
    args = ["audit", str(root), "--format", "json", "--waivers", str(waivers), "--as-of", "2024-01-01"]
    plain = CliRunner().invoke(main, args)
    assert principal in plain.stdout + plain.stderr and candidate in plain.stdout + plain.stderr
    result = CliRunner().invoke(main, args + ["--redact"])
    text = result.stdout + result.stderr
    for secret in (candidate, principal, "王审批", ID_NUMBER, f"{candidate[0]} {candidate[1:]}", ID_NUMBER[:6] + " "):
        assert secret not in text, secret
    doc = json.loads(result.stdout)
    sources = sorted(case["source"] for case in doc["cases"])
    assert sources[-1].endswith(f"{FILE_TOKEN}.yaml")
    assert FILE_TOKEN in result.stderr  # the unreadable file is still reported, under a hidden name
