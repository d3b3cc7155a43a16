r"""The condition language: tokenizer and recursive-descent parser producing the IR.

Conditions are parsed, never eval'd. The grammar, loosest binding first:

    expr    := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | 'exists' TYPE 'as' ALIAS 'where' expr | compare
    compare := sum (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not in') sum)?
    sum     := product (('+'|'-') product)*
    product := unary (('*'|'/') unary)*          '/' is true division
    unary   := '-' unary | primary
    primary := NUMBER | STRING | true | false | null | date("YYYY-MM-DD")
             | ALIAS '.' FIELD | param '.' NAME | FUNC '(' expr, ... ')' | '(' expr ')' | '[' expr, ... ']'

An `exists` body runs to the end of the enclosing parentheses (or of the whole condition).

Limits (hostile or generated rule files must give a file:line error, never a RecursionError or a
hang): a condition is at most MAX_LENGTH characters, nests at most MAX_DEPTH levels (parentheses,
lists, calls, `not`, `exists`, unary minus, and the operands of a chain such as `a + b + c`, which
nests to the left), and a number literal has at most MAX_DIGITS digits. The parser tracks its own
nesting, so it refuses before Python's recursion limit; every later pass (type check, code
generation, the durable compiler) then recurses over a tree no deeper than MAX_DEPTH.

String literals take the escapes \\ \" \' \n \t \r \uXXXX and \UXXXXXXXX (no lone surrogates); any
other escape is an error. The text around escapes is kept as written, so "决定\t" is 决定 + a tab.
"""
from __future__ import annotations

import re
from datetime import date

from cadre_rules.rulebook import ir
from cadre_rules.errors import ErrorKind as _K, ParseError, Problem, Said

KEYWORDS = {"and", "or", "not", "in", "exists", "as", "where", "true", "false", "null", "param"}
FUNCTIONS = {"len"}
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+\.\d+|\d+)
      | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,|\.)
    )""",
    re.VERBOSE,
)


MAX_LENGTH = 20_000
MAX_DEPTH = 64
MAX_DIGITS = 30

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.)|$)", re.DOTALL)
_SIMPLE_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r"}


_SPACE = re.compile(r"\s*")


def _token(value: str) -> Said:
    """A token a message quotes, or the end of the condition (in words) when there is none."""
    return Said(repr(value or "end of condition"), repr(value) if value else "条件结尾")


def decode_string(token: str, col: int) -> str:
    """The value of a quoted string token: its escapes decoded, everything else kept as written."""
    body = token[1:-1]
    if "\\" not in body:
        return body

    def one(m: re.Match[str]) -> str:
        hex4, hex8, char = m.group(1), m.group(2), m.group(3)
        if hex4 or hex8:
            code = int(hex4 or hex8, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise ParseError(Problem(_K.condition_escape_not_character, escape=repr(m.group(0))), col + 1 + m.start())
            return chr(code)
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        raise ParseError(Problem(_K.condition_unknown_escape, escape=repr(m.group(0))), col + 1 + m.start())

    return _ESCAPE.sub(one, body)


def tokenize(text: str) -> list[tuple[str, str, int]]:
    if len(text) > MAX_LENGTH:
        raise ParseError(Problem(_K.condition_too_long, length=len(text), limit=MAX_LENGTH), 0)
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        space = _SPACE.match(text, pos)
        if space and space.end() == len(text):
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = space.end() if space else pos
            raise ParseError(Problem(_K.condition_unexpected_character, char=repr(text[col])), col)
        kind = m.lastgroup or ""
        value = m.group(kind)
        tokens.append((kind, value, m.start(kind)))
        pos = m.end()
    tokens.append(("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0  # open nesting levels (see MAX_DEPTH)

    def enter(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(Problem(_K.condition_too_deep, limit=MAX_DEPTH), col)

    def chain(self, length: int, col: int) -> None:
        """A left-nested chain (`a + b + c`) nests one level per operand."""
        if self.depth + length > MAX_DEPTH:
            raise ParseError(Problem(_K.condition_chain_too_deep, limit=MAX_DEPTH, length=length), col)

    def peek(self, ahead: int = 0) -> tuple[str, str, int]:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def at(self, value: str, ahead: int = 0) -> bool:
        kind, val, _ = self.peek(ahead)
        return kind in ("op", "name") and val == value

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, value: str) -> tuple[str, str, int]:
        if not self.at(value):
            _, got, col = self.peek()
            raise ParseError(Problem(_K.condition_expected, expected=repr(value), found=_token(got)), col)
        return self.take()

    def name(self, what: Said) -> tuple[str, int]:
        kind, val, col = self.peek()
        if kind != "name" or val in KEYWORDS:
            raise ParseError(Problem(_K.condition_expected, expected=what, found=_token(val)), col)
        self.take()
        return val, col

    # grammar -----------------------------------------------------------------------------------
    def parse(self) -> ir.Node:
        node = self.expr()
        kind, val, col = self.peek()
        if kind != "end":
            raise ParseError(Problem(_K.condition_unexpected, token=repr(val)), col)
        return node

    def expr(self) -> ir.Node:
        col = self.peek()[2]
        items = [self.and_()]
        while self.at("or"):
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else ir.BoolOp("or", tuple(items), col)

    def and_(self) -> ir.Node:
        col = self.peek()[2]
        items = [self.not_()]
        while self.at("and"):
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else ir.BoolOp("and", tuple(items), col)

    def not_(self) -> ir.Node:
        kind, val, col = self.peek()
        if self.at("not") and not self.at("in", 1):
            self.take()
            self.enter(col)
            node: ir.Node = ir.Not(self.not_(), col)
            self.depth -= 1
            return node
        if self.at("exists"):
            self.take()
            fact_type, _ = self.name(Said("a fact type after 'exists'", "`exists` 之后的事实类型"))
            self.expect("as")
            alias, _ = self.name(Said("an alias after 'as'", "`as` 之后的别名"))
            self.expect("where")
            self.enter(col)
            node = ir.Exists(fact_type, alias, self.expr(), col)
            self.depth -= 1
            return node
        return self.compare()

    def compare(self) -> ir.Node:
        left = self.sum_()
        kind, val, col = self.peek()
        if kind == "op" and val in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return ir.Compare(val, left, self.sum_(), col)
        if self.at("in"):
            self.take()
            return ir.Compare("in", left, self.sum_(), col)
        if self.at("not") and self.at("in", 1):
            self.take()
            self.take()
            return ir.Compare("not_in", left, self.sum_(), col)
        return left

    def sum_(self) -> ir.Node:
        node = self.product()
        length = 0
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            _, op, col = self.take()
            length += 1
            self.chain(length, col)
            node = ir.Arith(op, node, self.product(), col)
        return node

    def product(self) -> ir.Node:
        node = self.unary()
        length = 0
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            _, op, col = self.take()
            length += 1
            self.chain(length, col)
            node = ir.Arith(op, node, self.unary(), col)
        return node

    def unary(self) -> ir.Node:
        if self.at("-"):
            col = self.take()[2]
            self.enter(col)
            node: ir.Node = ir.Neg(self.unary(), col)
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> ir.Node:
        kind, val, col = self.peek()
        if kind == "num":
            self.take()
            if len(val) - ("." in val) > MAX_DIGITS:
                raise ParseError(Problem(_K.rule_number_too_long, limit=MAX_DIGITS), col)
            return ir.Literal(float(val) if "." in val else int(val), col)
        if kind == "str":
            self.take()
            return ir.Literal(decode_string(val, col), col)
        if self.at("("):
            self.take()
            self.enter(col)
            node = self.expr()
            self.expect(")")
            self.depth -= 1
            return node
        if self.at("["):
            self.take()
            self.enter(col)
            items: list[ir.Node] = []
            if not self.at("]"):
                items.append(self.sum_())
                while self.at(","):
                    self.take()
                    items.append(self.sum_())
            self.expect("]")
            self.depth -= 1
            return ir.ListExpr(tuple(items), col)
        if kind == "name":
            if val in ("true", "false"):
                self.take()
                return ir.Literal(val == "true", col)
            if val == "null":
                self.take()
                return ir.Literal(None, col)
            if val == "param":
                self.take()
                self.expect(".")
                name, _ = self.name(Said("a parameter name", "参数名"))
                return ir.ParamRef(name, col)
            if val == "date" and self.at("(", 1):
                self.take()
                self.take()
                skind, sval, scol = self.take()
                if skind != "str":
                    raise ParseError(Problem(_K.condition_date_argument), scol)
                try:
                    value = date.fromisoformat(sval[1:-1])
                except ValueError:
                    raise ParseError(Problem(_K.rule_bad_date, value=sval), scol) from None
                self.expect(")")
                return ir.Literal(value, col)
            if self.at("(", 1):
                if val not in FUNCTIONS:
                    raise ParseError(Problem(_K.condition_unknown_function, name=repr(val), known=", ".join(sorted(FUNCTIONS))), col)
                self.take()
                self.take()
                self.enter(col)
                args = [self.expr()]
                while self.at(","):
                    self.take()
                    args.append(self.expr())
                self.expect(")")
                self.depth -= 1
                return ir.Call(val, tuple(args), col)
            alias, _ = self.name(Said("a fact alias", "事实别名"))
            self.expect(".")
            field, _ = self.name(Said(f"a field of {alias!r}", f"{alias!r} 的字段"))
            return ir.FieldRef(alias, field, col)
        raise ParseError(Problem(_K.condition_unexpected, token=_token(val)), col)


def tree_depth(node: ir.Node) -> int:
    """The depth of an IR tree, counted without recursion (so it is safe on any tree)."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        for name in current.__dataclass_fields__:
            value = getattr(current, name)
            for child in value if isinstance(value, tuple) else (value,):
                if hasattr(child, "__dataclass_fields__"):
                    stack.append((child, level + 1))
    return deepest


def parse(text: str) -> ir.Node:
    """Parse a condition into IR; raises ParseError with the column on bad input (including a
    condition nested deeper than MAX_DEPTH, counted on the tree itself)."""
    node = _Parser(text).parse()
    if tree_depth(node) > MAX_DEPTH + 1:
        raise ParseError(Problem(_K.condition_too_deep, limit=MAX_DEPTH), 0)
    return node
