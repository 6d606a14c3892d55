"""/api/openapi.json, generated from the code so it cannot drift from what the API does.

How to document a route: decorate its endpoint with `@operation(...)`.

    @operation(summary="One demand", tags=["demands"], body=Body(DemandInput, ...),
               responses={200: ("the demand", DemandJson), 401: UNAUTHENTICATED,
                          404: "no such demand the caller may see"})
    async def get_demand(request: Request) -> Response: ...

- `body` is a `Body` over the domain's input definition (a dataclass such as ProductInput, or a
  TypedDict a validator returns; a TypedDict in the API module when the domain has none);
  `fields` overrides what the API accepts more loosely than the validated type (a province name
  for a code), `required` names the fields a client must send.
- `responses` maps every status the route can answer to `(description, type)`, where the type is
  the TypedDict (or `list[...]` of one) its `*_json` function returns, or None for no body; a bare
  string is an error answered as `{error, errors}` (the Error schema).
- `query` lists query parameters as `Param`s; path parameters come from the route's path.
- `public=True` for routes that need no token; `path` gives a path parameter a narrower schema;
  `Media("text/calendar")` as a response type documents a body that is not JSON.
Types become JSON Schema here (`schema_of`): enums list their values, named classes become
components, `X | None` is nullable. An undecorated /api/ route fails tests/web/test_api_auth.py;
tests/web/test_openapi.py calls every GET with real data (give a new one a reader in READERS) and
checks each answer against its schema.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NotRequired, TypedDict, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

Schema = dict[str, Any]
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

UNAUTHENTICATED = "not authenticated"
# An id in a path: the database's ids are positive 32-bit integers.
ROW_ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
# Fields the API reads more loosely than their validated type.
PROVINCE: Schema = {"type": "string", "description": "code, or a province name, old or new"}
INVALID = "field errors: `errors` maps each field to a message"


class Error(TypedDict):
    """Every 4xx answer: a message, and for field errors one message per field."""

    error: str
    errors: NotRequired[dict[str, str]]


@dataclasses.dataclass(frozen=True)
class Body:
    """A JSON request body described by a domain input type."""

    type: type
    required: Sequence[str] = ()
    fields: Mapping[str, Schema] = dataclasses.field(default_factory=dict)
    optional_body: bool = False


@dataclasses.dataclass(frozen=True)
class Param:
    """A query parameter."""

    name: str
    schema: Schema
    description: str = ""
    array: bool = False


@dataclasses.dataclass(frozen=True)
class Media:
    """A response body that is not JSON, e.g. Media("text/calendar")."""

    type: str


@dataclasses.dataclass(frozen=True)
class Operation:
    summary: str
    tags: Sequence[str]
    responses: Mapping[int, str | tuple[str, Any]]
    body: Body | None = None
    query: Sequence[Param] = ()
    description: str = ""
    public: bool = False
    path: Mapping[str, Schema] = dataclasses.field(default_factory=dict)


_OPERATIONS: dict[Callable[..., Any], Operation] = {}


def operation(
    *, summary: str, tags: Sequence[str], responses: Mapping[int, str | tuple[str, Any]],
    body: Body | None = None, query: Sequence[Param] = (), description: str = "",
    public: bool = False, path: Mapping[str, Schema] | None = None,
) -> Callable[[Endpoint], Endpoint]:
    """Attach an OpenAPI operation to an endpoint (see the module docstring)."""
    spec = Operation(summary, tags, responses, body, query, description, public, path or {})

    def attach(endpoint: Endpoint) -> Endpoint:
        _OPERATIONS[endpoint] = spec
        return endpoint

    return attach


# -- types to JSON Schema ------------------------------------------------------------------------


class _Components:
    def __init__(self) -> None:
        self.schemas: dict[str, Schema] = {}
        self.classes: dict[str, type] = {}

    def ref(self, cls: type) -> Schema:
        name = cls.__name__
        if self.classes.setdefault(name, cls) is not cls:
            raise TypeError(f"two schemas named {name}: {cls.__module__} and {self.classes[name].__module__}")
        if name not in self.schemas:
            self.schemas[name] = {}  # a placeholder stops recursion
            self.schemas[name] = self._object(cls)
        return {"$ref": f"#/components/schemas/{name}"}

    def _object(self, cls: type) -> Schema:
        hints = typing.get_type_hints(cls, include_extras=True)
        if dataclasses.is_dataclass(cls):
            names = [f.name for f in dataclasses.fields(cls)]
            required = [f.name for f in dataclasses.fields(cls)
                        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        else:  # a TypedDict; read NotRequired from the hints (3.11 misses it in string annotations)
            names = list(hints)
            total = getattr(cls, "__total__", True)
            required = [n for n in names if (typing.get_origin(hints[n]) is typing.Required) or (
                total and typing.get_origin(hints[n]) is not typing.NotRequired)]
        schema: Schema = {"type": "object", "properties": {n: self.schema(hints[n]) for n in names}}
        schema["additionalProperties"] = False  # a response has exactly these keys
        if required:
            schema["required"] = required
        if cls.__doc__:
            schema["description"] = cls.__doc__.strip().splitlines()[0]
        return schema

    def schema(self, tp: Any) -> Schema:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Required, typing.NotRequired, typing.Annotated):
            return self.schema(args[0])
        if origin in (typing.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            inner = self.schema(rest[0]) if len(rest) == 1 else {"anyOf": [self.schema(a) for a in rest]}
            if len(rest) == len(args):
                return inner
            return {"allOf": [inner], "nullable": True} if "$ref" in inner else {**inner, "nullable": True}
        if origin is typing.Literal:
            return {"type": _json_type(type(args[0])), "enum": list(args)}
        if origin in (list, tuple, Sequence, set, frozenset):
            return {"type": "array", "items": self.schema(args[0]) if args else {}}
        if origin in (dict, Mapping):
            return {"type": "object", "additionalProperties": self.schema(args[1]) if args else {}}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"type": "string", "enum": [m.value for m in tp]}
        if isinstance(tp, type) and (dataclasses.is_dataclass(tp) or typing.is_typeddict(tp)):
            return self.ref(tp)
        if tp is datetime:
            return {"type": "string", "format": "date-time"}
        if tp is date:
            return {"type": "string", "format": "date"}
        if tp is Any or tp is object:
            return {}
        return {"type": _json_type(tp)}


def _json_type(tp: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", Decimal: "number"}
    if tp not in names:
        raise TypeError(f"no JSON type for {tp!r}")
    return names[tp]


def schema_of(tp: Any) -> Schema:
    """The JSON Schema of a type, with every named class inlined (for tests and tools)."""
    components = _Components()
    return {"schema": components.schema(tp), "components": components.schemas}


# -- the document ---------------------------------------------------------------------------------

_PARAM = re.compile(r"{(\w+)(?::(\w+))?}")


def _operation(route: Route, spec: Operation, components: _Components) -> Schema:
    op: Schema = {"summary": spec.summary, "tags": list(spec.tags)}
    if spec.description:
        op["description"] = spec.description
    if spec.public:
        op["security"] = []
    params: list[Schema] = [
        {"name": name, "in": "path", "required": True,
         "schema": spec.path.get(name) or (ROW_ID if kind == "int" else {"type": "string"})}
        for name, kind in _PARAM.findall(route.path)
    ]
    for p in spec.query:
        param: Schema = {"name": p.name, "in": "query", "schema": p.schema}
        if p.array:
            param.update(style="form", explode=True, schema={"type": "array", "items": p.schema})
        if p.description:
            param["description"] = p.description
        params.append(param)
    if params:
        op["parameters"] = params
    if spec.body is not None:
        components.schema(spec.body.type)
        base = components.schemas[spec.body.type.__name__]
        properties = {**base["properties"], **spec.body.fields}
        request: Schema = {"type": "object", "properties": properties}
        if spec.body.required:
            request["required"] = list(spec.body.required)
        if base.get("description"):
            request["description"] = base["description"]
        op["requestBody"] = {"required": not spec.body.optional_body,
                             "content": {"application/json": {"schema": request}}}
    responses: Schema = {}
    for status, answer in sorted(spec.responses.items()):
        if isinstance(answer, str):
            answer = (answer, Error)
        description, tp = answer
        entry: Schema = {"description": description}
        if isinstance(tp, Media):
            entry["content"] = {tp.type: {}}
        elif tp is not None:
            entry["content"] = {"application/json": {"schema": components.schema(tp)}}
        responses[str(status)] = entry
    op["responses"] = responses
    return op


def document(routes: Sequence[BaseRoute]) -> Schema:
    """The OpenAPI document of every decorated /api/ route."""
    components = _Components()
    paths: dict[str, Schema] = {}
    for route in routes:
        if not isinstance(route, Route) or not route.path.startswith("/api/"):
            continue
        spec = _OPERATIONS.get(route.endpoint)
        if spec is None:
            continue
        path = _PARAM.sub(r"{\1}", route.path)
        for method in sorted((route.methods or set()) - {"HEAD"}):
            paths.setdefault(path, {})[method.lower()] = _operation(route, spec, components)
    # Input types are inlined in their request bodies; only what a response names is a component.
    used = _referenced(paths, components.schemas)
    return {
        "openapi": "3.0.3",
        "info": {"title": "OCOP Connect API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {name: components.schemas[name] for name in sorted(used)},
        },
        "security": [{"bearer": []}],
        "paths": paths,
    }


def _referenced(node: Any, schemas: Mapping[str, Schema], seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                _referenced(schemas[name], schemas, seen)
        for value in node.values():
            _referenced(value, schemas, seen)
    elif isinstance(node, list):
        for value in node:
            _referenced(value, schemas, seen)
    return seen


async def openapi(request: Request) -> Response:
    return JSONResponse(document(request.app.routes))


routes = [Route("/api/openapi.json", openapi, include_in_schema=False)]
