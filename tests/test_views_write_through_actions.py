"""Views change nothing themselves: every write goes through an app's actions (or its lifecycle, imports and
jobs), which lock, check, record who acted and commit in one transaction. This reads the view modules and
fails on a model write in them."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "config/accounts",
    "config/api",
    "config/privacy",
    "screening",
    "indsatser",
    "finansiering",
    "helhedsplaner",
]
WRITES = {"save", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
QUERYSET_CALLS = {"filter", "exclude", "all", "select_for_update"}


def view_modules():
    for app in APPS:
        yield from (ROOT / app).glob("views.py")
        yield from (ROOT / app).glob("*_views.py")
        yield from (ROOT / app / "views").glob("*.py")


def _is_queryset(node) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "objects" or _is_queryset(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERYSET_CALLS or _is_queryset(node.func.value)
    return False


def _unsaved(call: ast.Call) -> bool:
    """form.save(commit=False) builds an instance for an action to save."""
    return any(
        k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
        for k in call.keywords
    )


def _app_modules(tree) -> set[str]:
    """The names the module imports from the apps' packages (`from helhedsplaner import actions`): a call
    on one of them (actions.create_plan) is an action, not a model write."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in APPS
        for alias in node.names
    }


def writes_in(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(), str(path))
    modules = _app_modules(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, receiver = node.func.attr, node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in modules:
            continue
        if (name in WRITES and not _unsaved(node)) or (name == "update" and _is_queryset(receiver)):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{name}()")
    return found


def test_there_are_view_modules_to_read():
    assert len(list(view_modules())) > 15


def test_no_view_writes_a_model():
    assert [write for path in view_modules() for write in writes_in(path)] == []


def test_the_check_finds_a_write(tmp_path):
    module = tmp_path / "views.py"
    module.write_text(
        "from indsatser import actions\n"
        "def view(request, form):\n"
        "    actions.create_partner(form)\n"
        "    form.save()\n"
        "    Afdeling.objects.filter(pk=1).update(navn='x')\n"
        "    form.save(commit=False)\n"
        "    context.update(a=1)\n"
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert writes_in(module) == ["views.py:4 .save()", "views.py:5 .update()"]
    finally:
        ROOT = saved
