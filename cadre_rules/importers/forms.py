"""Reading and writing 干部任免审批表 files: `.lrmx` (XML, UTF-8 or as declared) and the older `.lrm` (GB2312/GBK text).

The result is an `AppointmentForm`: every value exactly as the file holds it, under the `.lrmx`
element names, and the family members (家庭主要成员及重要社会关系). Nothing is interpreted here;
`cadre_rules.importers.candidate` turns a form into a case record.

XML is parsed by defusedxml with DTDs forbidden: a file declaring entities (external entities that
would read local files, or nested entities that expand to gigabytes) is refused before any entity is
resolved, and files above `MAX_BYTES` are refused unread.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml

from cadre_rules.errors import FormError, os_reason
from defusedxml.ElementTree import fromstring as _safe_fromstring

MAX_BYTES = 20 * 1024 * 1024  # a form with its photo is well under 2 MB

# The person's elements in the order the national editor writes them (public readers agree on these
# names; DaoLingNianYue and GaiGeQianRenZhiNianLingJieXian came with the 2025 retirement reform).
PERSON_FIELDS: tuple[tuple[str, str], ...] = (
    ("XingMing", "姓名"), ("XingBie", "性别"), ("ChuShengNianYue", "出生年月"), ("MinZu", "民族"),
    ("JiGuan", "籍贯"), ("ChuShengDi", "出生地"), ("RuDangShiJian", "入党时间"),
    ("CanJiaGongZuoShiJian", "参加工作时间"), ("DaoLingNianYue", "到龄年月"),
    ("JianKangZhuangKuang", "健康状况"), ("ZhuanYeJiShuZhiWu", "专业技术职务"),
    ("ShuXiZhuanYeYouHeZhuanChang", "熟悉专业有何专长"),
    ("QuanRiZhiJiaoYu_XueLi", "全日制教育学历"), ("QuanRiZhiJiaoYu_XueWei", "全日制教育学位"),
    ("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "全日制学历毕业院校系及专业"),
    ("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "全日制学位毕业院校系及专业"),
    ("ZaiZhiJiaoYu_XueLi", "在职教育学历"), ("ZaiZhiJiaoYu_XueWei", "在职教育学位"),
    ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "在职学历毕业院校系及专业"),
    ("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "在职学位毕业院校系及专业"),
    ("XianRenZhiWu", "现任职务"), ("NiRenZhiWu", "拟任职务"), ("NiMianZhiWu", "拟免职务"),
    ("JianLi", "简历"), ("JiangChengQingKuang", "奖惩情况"), ("NianDuKaoHeJieGuo", "年度考核结果"),
    ("RenMianLiYou", "任免理由"), ("ChengBaoDanWei", "呈报单位"),
    ("GaiGeQianRenZhiNianLingJieXian", "改革前任职年龄界限"), ("JiSuanNianLingShiJian", "计算年龄时间"),
    ("TianBiaoShiJian", "填表时间"), ("TianBiaoRen", "填表人"), ("ShenFenZheng", "身份证号"),
)
FAMILY_FIELDS: tuple[tuple[str, str], ...] = (
    ("ChengWei", "称谓"), ("XingMing", "姓名"), ("ChuShengRiQi", "出生日期"), ("ZhengZhiMianMao", "政治面貌"),
    ("GongZuoDanWeiJiZhiWu", "工作单位及职务"),
)
LABELS = dict(PERSON_FIELDS)
# Not imported: the photo (personal data the audit never needs, and the bulk of the file).
SKIPPED = {"ZhaoPian", "JiaTingChengYuan"}


@dataclass
class AppointmentForm:
    """One 任免审批表, values as written."""

    values: dict[str, str] = field(default_factory=dict)
    family: list[dict[str, str]] = field(default_factory=list)
    format: str = "lrmx"
    notes: list[str] = field(default_factory=list)  # what was read but not kept, said plainly
    sha256: str | None = field(default=None, compare=False)  # of the file's bytes, when read from a file (read_form)

    def __post_init__(self) -> None:
        # Line ends as XML itself reads them (CR LF and CR become LF), so that .lrm and .lrmx agree.
        self.values = {k: _lf(v) for k, v in self.values.items()}
        self.family = [{k: _lf(v) for k, v in m.items()} for m in self.family]


def read_form(path: str | Path) -> AppointmentForm:
    """A `.lrmx` or `.lrm` file by its suffix."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".lrmx", ".lrm"):
        raise FormError(f"{p}: not an appointment form (.lrmx or .lrm)", zh=f"{p}：不是任免审批表（.lrmx 或 .lrm）")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise FormError(f"{p}: {size} bytes, more than an appointment form can hold ({MAX_BYTES}); not read",
                            zh=f"{p}：{size} 字节，超过任免审批表所能容纳的大小（{MAX_BYTES}）；未读取")
        data = p.read_bytes()
    except OSError as exc:
        raise FormError(f"{p}: cannot read: {exc.strerror or exc}", zh=f"{p}：无法读取：{os_reason(exc).zh}") from None
    try:
        form = parse_lrmx(data) if suffix == ".lrmx" else parse_lrm(data)
    except FormError as exc:
        raise FormError(f"{p}: {exc}", zh=f"{p}：{exc.describe('zh')}") from None
    form.sha256 = hashlib.sha256(data).hexdigest()
    return form


# The XML declaration's encoding name (at the very start of the document, before any element).
_DECLARED = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")
_DECLARED_TEXT = re.compile(r"""\A(<\?xml[^>]*?\bencoding\s*=\s*["'])[^"']*""")
# What expat reads itself: anything else declared is decoded here (GB2312 and GBK through their superset).
_EXPAT_READS = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "iso8859-1"}
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}


def _as_utf8(data: bytes) -> bytes:
    """The document in UTF-8 when it declares an encoding expat does not read (GB2312, GBK, GB18030:
    files written by editors other than the national one), its declaration saying so; else unchanged.

    Why: expat refuses multi-byte encodings other than UTF-8 and UTF-16, and raises on an encoding
    name it does not know: either stopped an import with an internal error, where a form should be
    read or its file given a reason."""
    declared = _DECLARED.match(data)
    if declared is None:
        return data
    name = declared.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise FormError(f"the XML declares an encoding no reader knows: {name!r}",
                        zh=f"XML 声明了无法识别的编码：{name!r}") from None
    if codec in _EXPAT_READS:
        return data
    bom = data.startswith(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark outweighs the declaration
    try:
        text = data[3:].decode("utf-8") if bom else data.decode(_SUPERSETS.get(codec, codec))
    except UnicodeDecodeError as exc:
        raise FormError(f"not {'UTF-8' if bom else name} text: undecodable bytes at offset {exc.start}",
                        zh=f"不是 {'UTF-8' if bom else name} 文本：第 {exc.start} 字节处无法解码") from None
    return _DECLARED_TEXT.sub(r"\g<1>UTF-8", text, count=1).encode("utf-8")


def parse_lrmx(data: bytes) -> AppointmentForm:
    """An `.lrmx` document; refuses DTDs (so every entity trick) before parsing anything else."""
    if len(data) > MAX_BYTES:
        raise FormError(f"{len(data)} bytes, more than an appointment form can hold; not read",
                        zh=f"{len(data)} 字节，超过任免审批表所能容纳的大小；未读取")
    data = _as_utf8(data)
    try:
        root = _safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise FormError("refused: the XML declares a DTD (entities could read files or expand without bound)",
                        zh="拒绝读取：XML 声明了 DTD（实体可能读取文件或无限展开）") from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden, defusedxml.NotSupportedError) as exc:
        raise FormError(f"refused: unsafe XML ({type(exc).__name__})", zh=f"拒绝读取：不安全的 XML（{type(exc).__name__}）") from None
    except ET.ParseError as exc:
        raise FormError(f"not well-formed XML: {exc}", zh=f"XML 格式不正确：{exc}") from None
    if _local(root.tag) != "Person":
        raise FormError(f"root element is <{_local(root.tag)}>, an .lrmx form has <Person>",
                        zh=f"根元素是 <{_local(root.tag)}>，.lrmx 任免审批表的根元素应为 <Person>")
    form = AppointmentForm(format="lrmx")
    for child in root:
        name = _local(child.tag)
        if name == "JiaTingChengYuan":
            for item in child:
                if _local(item.tag) != "Item":
                    form.notes.append(f"JiaTingChengYuan/{_local(item.tag)}: not an <Item>, not imported")
                    continue
                member = {_local(e.tag): (e.text or "") for e in item}
                if any(v.strip() for v in member.values()):
                    form.family.append(member)
        elif name == "ZhaoPian":
            if (child.text or "").strip():
                form.notes.append("ZhaoPian: the photo is not imported")
        elif len(child):
            form.notes.append(f"{name}: nested element, not imported")
        else:
            form.values[name] = child.text or ""
    form.__post_init__()
    return form


# .lrm: one line of quoted fields separated by `","`. Field positions (0-based), as the public
# readers of the format agree; 9 and 10 pack the education as `全日制#学位@在职#学位`, 20–24 the family
# as `@`-separated columns. Positions 12–15 are not named by any reader consulted: not imported.
_LRM_POSITIONS = {
    0: "XingMing", 1: "XingBie", 2: "ChuShengNianYue", 3: "MinZu", 4: "JiGuan", 5: "RuDangShiJian",
    6: "JianKangZhuangKuang", 7: "ChuShengDi", 8: "CanJiaGongZuoShiJian", 11: "ZhuanYeJiShuZhiWu",
    16: "ShuXiZhuanYeYouHeZhuanChang", 17: "JianLi", 18: "JiangChengQingKuang", 19: "NianDuKaoHeJieGuo",
    25: "XianRenZhiWu", 26: "NiRenZhiWu", 27: "NiMianZhiWu", 28: "RenMianLiYou", 29: "ChengBaoDanWei",
    30: "JiSuanNianLingShiJian", 31: "TianBiaoRen", 32: "TianBiaoShiJian",
}
_LRM_EDUCATION = (("QuanRiZhiJiaoYu_XueLi", "QuanRiZhiJiaoYu_XueWei"), ("ZaiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueWei"))
_LRM_SCHOOLS = (("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"),
                ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi"))
LRM_FIELD_COUNT = 33


def parse_lrm(data: bytes) -> AppointmentForm:
    """An `.lrm` text, decoded as GB18030 (a superset of GB2312 and GBK)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FormError(f"not GB2312/GBK text: undecodable bytes at offset {exc.start}",
                        zh=f"不是 GB2312/GBK 文本：第 {exc.start} 字节处无法解码") from None
    text = text.strip().lstrip("\ufeff")
    if not (text.startswith('"') and text.endswith('"')):
        raise FormError('an .lrm form is a run of quoted fields separated by ","; this text is not',
                        zh='.lrm 任免审批表是以 "," 分隔、带引号的一串字段；此文本不是')
    fields = text[1:-1].split('","')
    if len(fields) < LRM_FIELD_COUNT:
        raise FormError(f"{len(fields)} fields, an .lrm form has {LRM_FIELD_COUNT}",
                        zh=f"共 {len(fields)} 个字段，.lrm 任免审批表应有 {LRM_FIELD_COUNT} 个")
    form = AppointmentForm(format="lrm")
    for pos, name in _LRM_POSITIONS.items():
        form.values[name] = fields[pos]
    for pos, pairs in ((9, _LRM_EDUCATION), (10, _LRM_SCHOOLS)):
        halves = (fields[pos].split("@") + [""])[:2]
        for half, (first, second) in zip(halves, pairs):
            a, b = (half.split("#") + [""])[:2]
            form.values[first], form.values[second] = a, b
    if any(fields[p].strip() for p in range(12, 16)):
        form.notes.append(".lrm fields 13–16 (meaning not established) are not imported")
    columns = [fields[p].split("@") for p in range(20, 25)]
    for i in range(max(len(c) for c in columns)):
        member = {name: (col[i] if i < len(col) else "") for (name, _), col in zip(FAMILY_FIELDS, columns)}
        if any(v.strip() for v in member.values()):
            form.family.append(member)
    form.__post_init__()
    return form


def write_lrmx(form: AppointmentForm) -> bytes:
    """The `.lrmx` document of a form: known elements in the editor's order, then any others as read."""
    root = ET.Element("Person")
    order = [name for name, _ in PERSON_FIELDS]
    for name in order + sorted(k for k in form.values if k not in LABELS):
        if name in form.values:
            ET.SubElement(root, name).text = form.values[name]
    family = ET.SubElement(root, "JiaTingChengYuan")
    for member in form.family:
        item = ET.SubElement(family, "Item")
        names = [n for n, _ in FAMILY_FIELDS] + sorted(k for k in member if k not in dict(FAMILY_FIELDS))
        for name in names:
            if name in member:
                ET.SubElement(item, name).text = member[name]
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def write_lrm(form: AppointmentForm) -> bytes:
    """The `.lrm` text of a form, GB18030-encoded (what GB2312/GBK readers read); used for examples."""
    fields = [""] * LRM_FIELD_COUNT
    for pos, name in _LRM_POSITIONS.items():
        fields[pos] = form.values.get(name, "")
    for pos, pairs in ((9, _LRM_EDUCATION), (10, _LRM_SCHOOLS)):
        fields[pos] = "@".join(f"{form.values.get(a, '')}#{form.values.get(b, '')}" for a, b in pairs)
    for p, (name, _) in zip(range(20, 25), FAMILY_FIELDS):
        fields[p] = "@".join(m.get(name, "") for m in form.family)
    return ('"' + '","'.join(fields) + '"').encode("gb18030")


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
