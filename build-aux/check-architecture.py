#!/usr/bin/env python3
"""Checks the rules of docs/ARCHITECTURE.md on the sources; prints each breach and exits 1.

- src/libsitrep never includes GTK, GDK or libadwaita.
- src/cli never includes a header of src/app, nor GTK.
- widgets (src/app) never run SQL, open sockets or spawn processes.
- within libsitrep, a folder includes only the folders the layering allows (below).
- one GObject per file pair: a header declares at most one GObject type, a source file defines
  at most one; and a file past MAX_LINES lines is two things.
- no include cycles between modules (a file pair with its -private.h, -testing.c and the part
  files that implement what its headers declare): no two modules include each other, directly
  or not.
"""
import os
import re
import sys

top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
src = os.path.join(top, 'src')

# What each folder of libsitrep may include besides itself. The store keeps the model's types
# (runbook, incidents' plain types) but the models never reach for the store. Actions sit above
# incidents: a command run during an incident is recorded on it.
ALLOWED = {
    'support': set(),
    'runbook': {'support'},
    'import': {'runbook', 'support'},
    'store': {'runbook', 'support', 'model'},
    'probes': {'runbook', 'support', 'store'},
    'incidents': {'runbook', 'support', 'store', 'probes'},
    'actions': {'runbook', 'support', 'store', 'incidents'},
    'drill': {'runbook', 'support', 'store', 'probes', 'incidents', 'actions'},
    'session': {'runbook', 'support', 'store', 'probes', 'incidents', 'actions', 'import', 'drill'},
}
# Headers of incidents/ that are plain model types the store may read and write.
MODEL_HEADERS = re.compile(r'^sitrep-(incident|timeline-event|postmortem-model|incident-types)(-private)?\.h$')

GTK = re.compile(r'#include\s*[<"](gtk/|gdk/|adwaita\.h)')
WIDGET_FORBIDDEN = [
    (re.compile(r'#include\s*[<"](sqlite3\.h|libsoup/|hiredis/|libpq-fe\.h)'), 'includes a database or network library'),
    (re.compile(r'\b(sqlite3_\w+|g_subprocess_\w+|g_socket_client_\w+|soup_session_\w+|redisAsync\w+|PQ\w+)\s*\('),
     'runs SQL, spawns or opens a socket'),
]
INCLUDE = re.compile(r'#include\s+"([^"]+)"')
GOBJECT_DECLARE = re.compile(r'\bG_DECLARE_(?:FINAL_TYPE|DERIVABLE_TYPE|INTERFACE)\s*\(')
GOBJECT_DEFINE = re.compile(r'^\s*G_DEFINE_(?:FINAL_TYPE|TYPE|ABSTRACT_TYPE|INTERFACE)'
                            r'(?:_WITH_\w+)?\s*\(', re.M)
# "If a file grows past ~800 lines, it is two things": the tilde's room included.
MAX_LINES = 850
# A prototype in a header, on one line or with its name on the next ("char *\nsitrep_x (…);"),
# with its attributes ("G_GNUC_PRINTF (3, 4)"); comments and preprocessor lines are cut first.
PARENS = r'\([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*\)'
DECL = re.compile(r'\b(\w+)\s*' + PARENS + r'(?:\s*\b\w+\b(?:\s*' + PARENS + r')?)*\s*;')
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
DIRECTIVE = re.compile(r'^[ \t]*#(?:[^\n]*\\\n)*[^\n]*', re.M)
KEYWORDS = {'return', 'sizeof', 'if', 'while', 'for', 'switch'}
DEF = re.compile(r'^(\w+)\s*\(', re.M)

problems = []
sources = {}
for root, _, names in os.walk(src):
    for name in names:
        if name.endswith(('.c', '.h')):
            sources[name] = os.path.join(root, name)


def rel(path):
    return os.path.relpath(path, top)


def layer(path):
    parts = os.path.relpath(path, src).split(os.sep)
    if parts[0] == 'libsitrep' and len(parts) > 2:
        return ('libsitrep', parts[1])
    return (parts[0], parts[1] if len(parts) > 2 else '')


texts = {name: open(path, encoding='utf-8').read() for name, path in sources.items()}

for name, path in sorted(sources.items()):
    text = texts[name]
    kind, folder = layer(path)
    types = len((GOBJECT_DECLARE if name.endswith('.h') else GOBJECT_DEFINE).findall(text))
    if types > 1:
        problems.append('%s: %s %d GObject types; one GObject per file pair'
                        % (rel(path), 'declares' if name.endswith('.h') else 'defines', types))
    if text.count('\n') > MAX_LINES:
        problems.append('%s: %d lines; a file past ~800 lines is two things: split it'
                        % (rel(path), text.count('\n')))
    for number, line in enumerate(text.splitlines(), 1):
        where = '%s:%d' % (rel(path), number)
        if kind in ('libsitrep', 'cli') and GTK.search(line):
            problems.append('%s: %s must not include GTK, GDK or libadwaita' % (where, kind))
        if kind == 'app' and path.endswith('.c'):
            for pattern, what in WIDGET_FORBIDDEN:
                if pattern.search(line) and not line.lstrip().startswith(('/*', '*')):
                    problems.append('%s: a widget %s; ask libsitrep instead' % (where, what))
        for include in INCLUDE.findall(line):
            if include not in sources:
                continue
            ikind, ifolder = layer(sources[include])
            if kind == 'cli' and ikind == 'app':
                problems.append('%s: the command line must not include the app (%s)' % (where, include))
            if kind == 'libsitrep' and ikind == 'libsitrep' and ifolder != folder:
                allowed = ALLOWED.get(folder, set())
                if ifolder in allowed:
                    continue
                if 'model' in allowed and ifolder == 'incidents' and MODEL_HEADERS.match(include):
                    continue
                problems.append('%s: libsitrep/%s must not include libsitrep/%s (%s)'
                                % (where, folder, ifolder, include))

# Include cycles, between modules. A module is a file pair (sitrep-x.c, sitrep-x.h) with its
# sitrep-x-private.h and sitrep-x-testing.c; a source file without a header of its own (a part
# of one object split over files) belongs to the module whose headers declare most of what it
# defines. A module depends on the modules whose headers its files include.
defined_in = {}
for name, text in texts.items():
    if name.endswith('.c'):
        for symbol in DEF.findall(text):
            defined_in.setdefault(symbol, set()).add(name)


def stem(name):
    base = name[:-2]
    for suffix in ('-private', '-testing'):
        if base.endswith(suffix):
            base = base[:-len(suffix)]
    return base


def declarations(text):
    """The functions a header declares: not macros, nor what a macro or an inline body holds."""
    code = DIRECTIVE.sub('', COMMENT.sub(' ', text))
    names = set()
    for match in DECL.finditer(code):
        name = match.group(1)
        line = code[code.rfind('\n', 0, match.start()) + 1:match.start()]
        if name.isupper() or name in KEYWORDS or 'static' in line:
            continue
        names.add(name)
    return names


declared_in = {header: declarations(text) for header, text in texts.items()
               if header.endswith('.h')}


def module_of(name):
    base = stem(name)
    if name.endswith('.h') or base + '.h' in sources or base + '-private.h' in sources:
        return base
    # A part file: of the module whose headers declare most of what it defines, whatever it
    # includes to get them (a part that reached its module's header through another would
    # otherwise hide a cycle).
    defined = set(DEF.findall(texts[name]))
    counts = {}
    for header, declared in declared_in.items():
        shared = len(defined & declared)
        if shared:
            counts[stem(header)] = counts.get(stem(header), 0) + shared
    if counts:
        # On a tie, the first by name: say which, so that a reader of a cycle can tell.
        return max(sorted(counts), key=lambda module: counts[module])
    return base


depends = {}
members = {}
for name, text in texts.items():
    module = module_of(name)
    members.setdefault(module, []).append(name)
    targets = depends.setdefault(module, set())
    for include in INCLUDE.findall(text):
        if include in sources:
            targets.add(module_of(include))
for module, targets in depends.items():
    targets.discard(module)

# Tarjan's strongly connected components.
index = {}
low = {}
stack = []
on_stack = set()
components = []
counter = [0]


def visit(node):
    index[node] = low[node] = counter[0]
    counter[0] += 1
    stack.append(node)
    on_stack.add(node)
    for other in sorted(depends.get(node, ())):
        if other not in index:
            visit(other)
            low[node] = min(low[node], low[other])
        elif other in on_stack:
            low[node] = min(low[node], index[other])
    if low[node] == index[node]:
        component = []
        while True:
            other = stack.pop()
            on_stack.discard(other)
            component.append(other)
            if other == node:
                break
        if len(component) > 1:
            components.append(sorted(component))


sys.setrecursionlimit(10000)
for node in sorted(depends):
    if node not in index:
        visit(node)
for component in components:
    problems.append('include cycle: %s' % ' <-> '.join(component))

for problem in problems:
    print(problem)
if problems:
    print('%d problems; docs/ARCHITECTURE.md says why each rule exists' % len(problems))
    sys.exit(1)
print('architecture: every rule holds')
