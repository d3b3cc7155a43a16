"""The condition language: tokenizer and recursive-descent parser producing the IR.

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
"""
from __future__ import annotations

import re
from datetime import date

from cadre_rules.rulebook import ir
from cadre_rules.errors import ParseError

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


def tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ParseError(f"unexpected character {text[col]!r}", col)
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
            raise ParseError(f"expected {value!r} but found {got or 'end of condition'!r}", col)
        return self.take()

    def name(self, what: str) -> tuple[str, int]:
        kind, val, col = self.peek()
        if kind != "name" or val in KEYWORDS:
            raise ParseError(f"expected {what} but found {val or 'end of condition'!r}", col)
        self.take()
        return val, col

    # grammar -----------------------------------------------------------------------------------
    def parse(self) -> ir.Node:
        node = self.expr()
        kind, val, col = self.peek()
        if kind != "end":
            raise ParseError(f"unexpected {val!r}", col)
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
            return ir.Not(self.not_(), col)
        if self.at("exists"):
            self.take()
            fact_type, _ = self.name("a fact type after 'exists'")
            self.expect("as")
            alias, _ = self.name("an alias after 'as'")
            self.expect("where")
            return ir.Exists(fact_type, alias, self.expr(), col)
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
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            _, op, col = self.take()
            node = ir.Arith(op, node, self.product(), col)
        return node

    def product(self) -> ir.Node:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/"):
            _, op, col = self.take()
            node = ir.Arith(op, node, self.unary(), col)
        return node

    def unary(self) -> ir.Node:
        if self.at("-"):
            col = self.take()[2]
            return ir.Neg(self.unary(), col)
        return self.primary()

    def primary(self) -> ir.Node:
        kind, val, col = self.peek()
        if kind == "num":
            self.take()
            return ir.Literal(float(val) if "." in val else int(val), col)
        if kind == "str":
            self.take()
            return ir.Literal(bytes(val[1:-1], "utf-8").decode("unicode_escape") if "\\" in val else val[1:-1], col)
        if self.at("("):
            self.take()
            node = self.expr()
            self.expect(")")
            return node
        if self.at("["):
            self.take()
            items: list[ir.Node] = []
            if not self.at("]"):
                items.append(self.sum_())
                while self.at(","):
                    self.take()
                    items.append(self.sum_())
            self.expect("]")
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
                name, _ = self.name("a parameter name")
                return ir.ParamRef(name, col)
            if val == "date" and self.at("(", 1):
                self.take()
                self.take()
                skind, sval, scol = self.take()
                if skind != "str":
                    raise ParseError('date() takes a quoted ISO date, e.g. date("2019-03-03")', scol)
                try:
                    value = date.fromisoformat(sval[1:-1])
                except ValueError:
                    raise ParseError(f"bad date {sval}", scol) from None
                self.expect(")")
                return ir.Literal(value, col)
            if self.at("(", 1):
                if val not in FUNCTIONS:
                    raise ParseError(f"unknown function {val!r} (known: {', '.join(sorted(FUNCTIONS))})", col)
                self.take()
                self.take()
                args = [self.expr()]
                while self.at(","):
                    self.take()
                    args.append(self.expr())
                self.expect(")")
                return ir.Call(val, tuple(args), col)
            alias, _ = self.name("a fact alias")
            self.expect(".")
            field, _ = self.name(f"a field of {alias!r}")
            return ir.FieldRef(alias, field, col)
        raise ParseError(f"unexpected {val or 'end of condition'!r}", col)


def parse(text: str) -> ir.Node:
    """Parse a condition into IR; raises ParseError with the column on bad input."""
    return _Parser(text).parse()
