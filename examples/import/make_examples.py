"""Write the binary example inputs of examples/import/ (run from the repository root; outputs committed).

- 林海涛.lrm: an older-format 任免审批表, GBK-encoded quoted fields separated by `","`, written here
  field by field (independently of the library's own writer);
- 程序纪实-模板格式.xlsx and 程序纪实-外部格式.xlsx: see make_workbooks() (docs/import-workbook.md).

All people, units and events are invented.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

LRM_FIELDS = [
    "林海涛", "男", "198203", "汉族", "江南清溪", "200512", "健康", "江南清溪", "200407",
    "大学本科#法学学士@#",                       # 9: full-time 学历#学位 @ part-time 学历#学位
    "江南政法大学法学专业#江南政法大学@#",        # 10: the schools, same packing
    "", "", "", "", "",                           # 11 专业技术职务, 12-15 not used here
    "法律事务",                                   # 16 熟悉专业有何专长
    "2000.09--2004.07  江南政法大学法学专业学习\r\n2004.07--2012.03  清溪县人民检察院书记员、助理检察员\r\n"
    "2012.03--2018.06  清溪县司法局办公室主任\r\n2018.06--至今  清溪县司法局副局长",  # 17 简历
    "无",                                          # 18 奖惩情况
    "2021年度考核称职；2022年度考核称职；2023年度考核称职。",  # 19 年度考核结果
    "妻子@儿子@父亲",                              # 20 称谓
    "陈晓丽@林子墨@林国强",                        # 21 姓名
    "198406@201009@195611",                        # 22 出生日期
    "中共党员@群众@群众",                          # 23 政治面貌
    "清溪县人民医院护士@清溪县实验小学学生@清溪县农民",  # 24 工作单位及职务
    "清溪县司法局副局长", "清溪县司法局局长", "清溪县司法局副局长", "工作需要", "中共清溪县委组织部",
    "202403", "县委组织部干部科", "202403",
]


def make_lrm() -> Path:
    assert len(LRM_FIELDS) == 33
    target = HERE / "林海涛.lrm"
    target.write_bytes(('"' + '","'.join(LRM_FIELDS) + '"').encode("gbk"))
    return target


def main() -> None:
    written = [make_lrm()]
    if "--lrm-only" not in sys.argv:
        from make_workbooks import make_workbooks  # noqa: PLC0415 - a sibling script

        written += make_workbooks(HERE)
    for path in written:
        print(path.relative_to(HERE.parents[1]))


if __name__ == "__main__":
    main()
