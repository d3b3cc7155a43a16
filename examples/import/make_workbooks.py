"""Write the two example procedure workbooks of examples/import/ (run from the repository root; the
small .xlsx outputs are committed):

- 程序纪实-模板格式.xlsx: the template layout (`cadre-rules template workbook`) with two cases: the
  bundled example case 01 (清溪县财政局局长提拔, every record as in examples/cases/01-…yaml) and a 2024
  case whose record lacks what several key rules need (no speaking order, no view per member), its
  candidate read from the .lrm form 林海涛.lrm;
- 程序纪实-外部格式.xlsx: another department's layout (its own sheet names, headers, codes, a title row
  above the headers and dates written 2023年6月12日), read with 外部格式映射.yaml; its candidate comes
  from 周雅琴.lrmx.

All people, units and events are invented.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from cadre_rules.importers.template import write_workbook  # noqa: E402

A, B = "2021-qx-czj-001", "2024-qx-sfj-001"
MEMBERS = [("m01", "周建国", "主要负责人"), ("m02", "李文华", None), ("m03", "王海燕", "分管组织"),
           ("m04", "陈志强", "纪委书记"), ("m05", "刘晓梅", None), ("m06", "赵国庆", None), ("m07", "孙立新", None),
           ("m08", "吴春兰", None), ("m09", "郑永明", None), ("m10", "黄丽萍", None), ("m11", "杨卫东", None)]
ALL = "、".join(m[0] for m in MEMBERS)

TEMPLATE_ROWS = {
    "案例": [
        [A, "清溪县财政局局长提拔（合规）", "中共清溪县委", "提拔", "已办结", None, None, "qx-cwh", "中共清溪县委常委会",
         "常委会", "qx-czj-jz", "县财政局局长", "清溪县财政局", "正科", 1, 0, None],
        [B, "清溪县司法局局长提拔", "中共清溪县委", "提拔", "已办结", None, None, "qx-cwh", "中共清溪县委常委会",
         "常委会", "qx-sfj-jz", "县司法局局长", "清溪县司法局", "正科", 1, 0, "是"],
    ],
    "班子成员": [[A, mid, name, role] for mid, name, role in MEMBERS] + [[B, mid, name, role] for mid, name, role in MEMBERS],
    "候选人": [
        [A, "c1", "马俊杰", "男", "1980-05-12", "2002-07-01", "2001-06-01", None, "县财政局副局长", "副科", "2016-03-01", None],
        [B, "c1", None, None, None, None, None, None, None, "副科", "2018-06-01", "林海涛.lrm"],
    ],
    "学历": [[A, "c1", "大学本科", "江南财经大学", "是", "2002-06-30"]],
    "工作经历": [
        [A, "c1", "乡镇财政所科员", "青石镇", None, None, "是", None, "2002-07-01", "2009-12-31"],
        [A, "c1", "县财政局预算股股长", "清溪县财政局", None, None, None, None, "2010-01-01", "2016-02-29"],
        [A, "c1", "县财政局副局长", "清溪县财政局", "副科", None, None, None, "2016-03-01", None],
    ],
    "动议": [
        [A, "2021-03-02", "组织部门", "2021-02-26", "2021-03-03", "2021-03-05、2021-03-08", "2021-03-10", "c1"],
        [B, "2024-03-04", "组织部门", None, "2024-03-05", None, "2024-03-08", "c1"],
    ],
    "民主推荐": [
        [A, "r1", "会议推荐", "2021-03-16", 45, 42, "c1", 36],
        [B, "r1", "会议推荐", "2024-03-14", 40, 37, "c1", 30],
    ],
    "考察": [
        [A, "i1", "c1", "张卫红", "许明", "县委组织部部务会", "2021-03-19", "是", "是", "推荐意见集中，等额考察",
         "2021-03-19", "2021-03-22", "2021-03-22", "个别谈话、征求意见、民主测评、查阅档案、面谈", "2021-03-22",
         "2021-04-09", "2021-04-08", "2021-04-12", "2021-04-09", "政治立场坚定，熟悉财政预算管理，推进预算绩效改革成效明显",
         "统筹协调全局工作经验有待丰富", "会议推荐得票36票，得票率85.7%", "民主测评优秀率78%，称职以上100%",
         "2021-03-25", "无问题", "2021-03-30", "无问题", "2021-04-02", "无问题", "2021-04-06", "无问题",
         "2021-04-07", "是", "是"],
        [B, "i1", "c1", "张卫红", "许明", "县委组织部部务会", "2024-03-18", "是", "是", None,
         None, None, "2024-03-19", "个别谈话、民主测评、查阅档案", "2024-03-19", "2024-04-03", None, "2024-04-08",
         "2024-04-03", None, None, None, None,
         "2024-03-22", "无问题", "2024-03-27", "无问题", "2024-03-29", "无问题", "2024-04-01", "无问题",
         None, None, None],
    ],
    "酝酿": [[A, "班子成员", "2021-04-13", "同意提交常委会讨论"], [A, "上级领导", "2021-04-14", "无不同意见"]],
    "会议": [
        [A, "mt1", "常委会议", "2021-04-16", ALL, "m01、m02、m03、m04、m05、m06、m07、m08、m09", "m01",
         "县委组织部干部科科长（组织部门）", "是", "是", "是", "是"],
        [B, "mt1", "常委会议", "2024-04-12", ALL, "m01、m02、m03、m05、m06、m07、m08、m09、m10", "m01",
         None, "是", None, None, None],
    ],
    "议题与表决": [
        [A, "mt1", "a1", "c1", "是", None, "m03", None, None, "举手表决", 8, 1, 0, "通过"],
        [B, "mt1", "a1", "c1", None, None, "m03", None, None, "举手表决", 9, 0, 0, "通过"],
    ],
    "表态顺序": [[A, "mt1", "a1", i, m, "不同意" if m == "m07" else "同意"]
                 for i, m in enumerate(["m03", "m02", "m04", "m05", "m06", "m07", "m08", "m09", "m01"], start=1)],
    "公示": [[A, "p1", "c1", "2021-04-19", "2021-04-25", "清溪县人民政府网站"],
             [B, "p1", "c1", "2024-04-15", "2024-04-19", "清溪县人民政府网站"]],
    "任职": [[A, "n1", "c1", "2021-04-28", "清委〔2021〕18号", "2021-04-29", "王海燕", None],
             [B, "n1", "c1", "2024-04-23", "清委〔2024〕9号", "2024-04-24", "王海燕", None]],
    "认定": [[A, "身体健康", "c1", "2021-04-07", "县委组织部（体检结论）"],
             [A, "基本条件", "c1", "2021-04-09", "考察组（考察材料）"]],
    "报备": [[A, "f1", "c1", "2021-05-07", "中共江州市委组织部"], [B, "f1", "c1", "2024-05-06", "中共江州市委组织部"]],
}

# Another department's layout: its own names for sheets, columns and codes, a title row on top.
FOREIGN = {
    "案件信息": (["案件号", "事项", "单位", "调整方式", "办理状态", "机构代码", "机构名称", "职位代码", "拟任职位", "职位单位",
                  "层级", "核定职数", "在任人数"],
                 [["QX-2023-017", "周雅琴交流任县委组织部副部长", "中共清溪县委", "交流任职", "办结", "qx-cwh",
                   "中共清溪县委常委会", "qx-zzb-fbz", "县委组织部副部长", "中共清溪县委组织部", "正科", 3, 2]]),
    "常委名单": (["案件号", "人员代码", "姓名", "身份"],
                 [["QX-2023-017", mid, name, {"主要负责人": "书记", "分管组织": "组织部长"}.get(role, role) or "委员"]
                  for mid, name, role in MEMBERS]),
    "人选": (["案件号", "人选代码", "任免审批表文件"], [["QX-2023-017", "c1", "周雅琴.lrmx"]]),
    "推荐情况": (["案件号", "推荐代码", "推荐方式", "推荐日期", "应到", "实到", "人选代码", "票数"],
                 [["QX-2023-017", "r1", "谈话调研推荐", "2023年5月22日", 26, 25, "c1", 21]]),
    "会议记录": (["案件号", "会议代码", "会议名称", "召开日期", "应出席", "实出席", "主持"],
                 [["QX-2023-017", "mt1", "常委会议", "2023年6月12日", ALL, "m01、m02、m03、m04、m05、m06、m07、m09、m10、m11", "m01"]]),
    "讨论决定": (["案件号", "会议代码", "议题代码", "人选代码", "表决办法", "赞成", "反对", "弃权票", "表决结果"],
                 [["QX-2023-017", "mt1", "t1", "c1", "举手", 10, 0, 0, "同意任用"]]),
    "任职发文": (["案件号", "发文代码", "人选代码", "发文时间", "发文字号"],
                 [["QX-2023-017", "d1", "c1", "2023年6月16日", "清委〔2023〕31号"]]),
    "备案": (["案件号", "备案代码", "人选代码", "备案时间", "备案机关"],
             [["QX-2023-017", "f1", "c1", "2023年7月3日", "中共江州市委组织部"]]),
}


def make_foreign(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, (headers, rows) in FOREIGN.items():
        ws = wb.create_sheet(name)
        ws.append([f"清溪县干部选拔任用全程纪实登记表 — {name}"])  # a title row above the headers
        ws.append(headers)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def make_workbooks(here: Path = HERE) -> list[Path]:
    return [write_workbook(here / "程序纪实-模板格式.xlsx", TEMPLATE_ROWS), make_foreign(here / "程序纪实-外部格式.xlsx")]


if __name__ == "__main__":
    for p in make_workbooks():
        print(p.relative_to(HERE.parents[1]))
