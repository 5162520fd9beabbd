# sitrep_atspi.py: what the AT-SPI tests share: TAP, reading the app's accessibility tree,
# synthesised keys, and starting the real sitrep with the accessibility bus on.
#
# Run as a script, `sitrep_atspi.py walk PID`, it is a second AT-SPI client that reads the whole
# tree of the app PID over and over, as a screen reader does, until it is sent SIGTERM; it then
# prints how many full passes it made.
import gettext
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pyatspi

WAIT = 60  # seconds for anything to appear: generous, the machine may be busy
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support', 'data')

results = []


def tap(ok, name, note=''):
    results.append(ok)
    # A TAP result is one line: what a notification said may hold several.
    name = ' / '.join(str(name).splitlines())
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}{' # ' + note if note else ''}",
          flush=True)


def diag(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


def finish():
    """Prints the plan; the exit status a TAP test returns."""
    print(f'1..{len(results)}', flush=True)
    return 0 if results and all(results) else 1


class Failed(Exception):
    pass


def catalogue(build, language):
    """The build's own catalogue for LANGUAGE: gettext and pgettext as the app translates."""
    translation = gettext.translation('sitrep', localedir=os.path.join(build, 'po'),
                                      languages=[language], fallback=True)
    return translation.gettext, translation.pgettext


def plain(text):
    """What a screen reader says for a label with a mnemonic: "_Declare" is "Declare"."""
    return (text or '').replace('_', '')


# The tree, read through AT-SPI.

def walk(acc, depth=0):
    if acc is None or depth > 60:
        return
    yield acc
    try:
        children = list(acc)
    except Exception:
        return
    for child in children:
        yield from walk(child, depth + 1)


def showing(acc):
    # GTK 4.8 reports "visible" (the widget's own flag) but never "showing".
    try:
        return acc.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def wait_for(what, find, timeout=WAIT, interval=0.3):
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = find()
        except Exception:
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise Failed(f'timed out after {timeout} s waiting for {what}')
        time.sleep(interval)


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            pass
    return None


def windows(app):
    return [w for w in app if w is not None and showing(w)]


def window_named(app, name):
    for w in windows(app):
        if w.name == name:
            return w
    return None


def find(root, role=None, name=None, prefix=None, contains=None, visible=True):
    for acc in walk(root):
        try:
            if role is not None and acc.getRole() not in (role if isinstance(role, tuple)
                                                          else (role,)):
                continue
            accname = acc.name or ''
            # GTK 4.8 names a button with a mnemonic "_Copy Copy": its label, then its text.
            if name is not None and plain(accname) not in (plain(name),
                                                           f'{plain(name)} {plain(name)}'):
                continue
            if prefix is not None and not plain(accname).startswith(plain(prefix)):
                continue
            if contains is not None and plain(contains) not in plain(accname):
                continue
            if visible and not showing(acc):
                continue
            return acc
        except Exception:
            continue
    return None


def find_all(root, role=None, name=None):
    """Every showing ROLE named NAME under ROOT, in the tree's order."""
    found = []
    for acc in walk(root):
        try:
            if role is not None and acc.getRole() not in (role if isinstance(role, tuple)
                                                          else (role,)):
                continue
            if name is not None and plain(acc.name or '') not in (plain(name),
                                                                  f'{plain(name)} {plain(name)}'):
                continue
            if showing(acc):
                found.append(acc)
        except Exception:
            continue
    return found


def do_action(acc):
    """Activates ACC as a screen reader's user does: its click (or first) action."""
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'press'):
            action.doAction(i)
            return
    action.doAction(0)


CONTROL_ROLES = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
                 pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT,
                 pyatspi.ROLE_TEXT,
                 pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SLIDER,
                 pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
                 pyatspi.ROLE_RADIO_MENU_ITEM, pyatspi.ROLE_LINK, pyatspi.ROLE_PAGE_TAB}


# Keys, synthesised through the registry as a person's keyboard.

MODIFIERS = {'ctrl': ('Control_L', 1 << 2), 'shift': ('Shift_L', 1 << 0),
             'alt': ('Alt_L', 1 << 3)}
KEYSYMS = {'return': 0xff0d, 'escape': 0xff1b, 'f10': 0xffc7, 'menu': 0xff67, 'tab': 0xff09}


def press(combo, settle=0.7):
    parts = combo.lower().split('+')
    mask = 0
    for part in parts[:-1]:
        mask |= MODIFIERS[part][1]
    key = parts[-1]
    keysym = KEYSYMS.get(key) or ord(key)
    if mask:
        pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_LOCKMODIFIERS)
    pyatspi.Registry.generateKeyboardEvent(keysym, None, pyatspi.KEY_SYM)
    if mask:
        pyatspi.Registry.generateKeyboardEvent(mask, None, pyatspi.KEY_UNLOCKMODIFIERS)
    time.sleep(settle)


def dump_tree(pid):
    """What the screen reader had, to see why something was not found."""
    app = find_app(pid)
    if app is None:
        return
    for w in windows(app)[-2:]:
        lines = []
        for acc in walk(w):
            try:
                if acc.name or acc.getRole() in CONTROL_ROLES:
                    lines.append(f'{acc.getRoleName()}: {acc.name}')
            except Exception:
                continue
        diag(f'window {w.name}:\n' + '\n'.join(lines[:300]))


# The app, started as a person starts it, with GTK on the accessibility bus.

def app_environment(build, scratch, language='en', settings=''):
    """The environment for the real sitrep: the build's schemas and catalogues, a keyfile
    GSettings backend in SCRATCH holding SETTINGS (keyfile lines), GTK on the accessibility bus."""
    env = dict(os.environ)
    # The suite keeps GTK off the accessibility bus; these tests are all about it.
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('G_DEBUG', None)
    env['GDK_BACKEND'] = 'x11'
    env['LANGUAGE'] = language
    env['LANG'] = env['LC_ALL'] = 'C.UTF-8'
    env['SITREP_LOCALEDIR'] = os.path.join(build, 'po')
    env['GSETTINGS_SCHEMA_DIR'] = os.path.join(build, 'data')
    env['GSETTINGS_BACKEND'] = 'keyfile'
    env['XDG_CONFIG_HOME'] = os.path.join(scratch, 'config')
    env['XDG_DATA_HOME'] = os.path.join(scratch, 'data')
    env['HOME'] = scratch
    folder = os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'keyfile'), 'w') as f:
        f.write('[org/carecircle/Sitrep]\n' + settings)
    return env


NORTHWIND_DEFAULTS = {'HTTP_URL': 'http://127.0.0.1:9', 'REDIS_PORT': '9', 'TCP_PORT': '9',
                      'COMMAND': '/bin/true', 'KUBECTL': 'kubectl'}


def northwind(path, edit=None, **values):
    """Writes the tests' second runbook (tests/support/data/northwind.json, its @TOKEN@s filled
    as fixture-runbook.c fills them, then changed by EDIT(the parsed JSON) if given) to PATH;
    returns the SHA-256 the console trusts it by."""
    with open(os.path.join(DATA, 'northwind.json'), encoding='utf-8') as f:
        text = f.read()
    for key, value in {**NORTHWIND_DEFAULTS, **values}.items():
        text = text.replace(f'@{key}@', value)
    if edit is not None:
        document = json.loads(text)
        edit(document)
        text = json.dumps(document, indent=2)
    data = text.encode('utf-8')
    with open(path, 'wb') as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


def stop(proc, timeout=30):
    """Ends a process this test started, politely first."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def crashed(proc):
    return proc.returncode is not None and proc.returncode < 0 \
        and proc.returncode != -signal.SIGTERM


# A second client that reads the whole tree over and over, as a screen reader does.

def read_everything(acc, depth=0):
    """Reads what a screen reader reads of ACC and everything under it."""
    if acc is None or depth > 60:
        return
    try:
        acc.name, acc.description
        acc.getRole()
        acc.getState()
        acc.getAttributes()
        acc.getRelationSet()
        children = list(acc)
    except Exception:
        return
    for child in children:
        read_everything(child, depth + 1)


def walk_forever(pid):
    stopping = []
    signal.signal(signal.SIGTERM, lambda *args: stopping.append(True))
    passes = 0
    while not stopping:
        app = find_app(pid)
        if app is None:
            time.sleep(0.2)
            continue
        read_everything(app)
        passes += 1
    print(passes, flush=True)


if __name__ == '__main__' and len(sys.argv) == 3 and sys.argv[1] == 'walk':
    walk_forever(int(sys.argv[2]))
