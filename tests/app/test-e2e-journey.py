#!/usr/bin/python3
# test-e2e-journey.py: the real sitrep on its own drill, driven through the accessibility tree
# (AT-SPI) as a screen-reader user or a person at the keyboard would, counting every
# interaction of the commander's journeys and failing past their goals.
#
#   test-e2e-journey.py SITREP_BINARY BUILD_DIR LANGUAGE
#
# Needs Debian's python3-pyatspi, an X display (Xvfb), a session bus (the accessibility bus is
# started by it or by build-aux/test-session), the real kubectl, xclip for the clipboard and
# python3-markdown for the post-mortem. Prints TAP.
import gettext
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

# The suite's G_DEBUG=fatal-warnings is for the app's own tests: the AT-SPI client warns about
# objects that go away while it reads them, which is what this test makes happen.
os.environ.pop('G_DEBUG', None)

import markdown  # noqa: E402
import pyatspi  # noqa: E402

SITREP, BUILD, LANGUAGE = sys.argv[1], sys.argv[2], sys.argv[3]
CATALOGUE = gettext.translation('sitrep', localedir=os.path.join(BUILD, 'po'),
                                languages=[LANGUAGE], fallback=True)
_ = CATALOGUE.gettext


def C_(context, text):
    return CATALOGUE.pgettext(context, text)


GOALS = {'declare': 5, 'restart': 4, 'export': 3}
WAIT = 60  # seconds for anything to appear: generous, the machine may be busy

results = []


def tap(ok, name, note=''):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}{' # ' + note if note else ''}",
          flush=True)


def diag(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


class Failed(Exception):
    pass


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


def wait_for(what, find, timeout=WAIT):
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
        time.sleep(0.3)


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


CONTROL_ROLES = {pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
                 pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT,
                 pyatspi.ROLE_TEXT,
                 pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_SLIDER,
                 pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM,
                 pyatspi.ROLE_RADIO_MENU_ITEM, pyatspi.ROLE_LINK, pyatspi.ROLE_PAGE_TAB}
unnamed = set()


def check_names(app, where):
    """Every control a person can reach says what it is."""
    for w in windows(app):
        for acc in walk(w):
            try:
                if acc.getRole() in CONTROL_ROLES and showing(acc) and not (acc.name or '').strip():
                    path = []
                    parent = acc.parent
                    while parent is not None and len(path) < 4:
                        if parent.name:
                            path.append(parent.name)
                        parent = parent.parent
                    unnamed.add(f'{where}: a {acc.getRoleName()} with no name, in '
                                f'{" < ".join(path) or w.name}')
            except Exception:
                continue


# What a person does: each call is one interaction of the journey.

class Journey:
    def __init__(self, name):
        self.name = name
        self.steps = []

    def step(self, what):
        self.steps.append(what)

    def key(self, combo):
        """A shortcut or a key, "ctrl+shift+c", through the registry's keyboard synthesis."""
        self.step(combo)
        press(combo)

    def type(self, text):
        self.step(f'type “{text}”')
        pyatspi.Registry.generateKeyboardEvent(0, text, pyatspi.KEY_STRING)
        time.sleep(0.5)

    def fill(self, acc, text):
        """Types into a field that has no keyboard focus, as a screen reader's user would."""
        self.step(f'fill “{text}”')
        acc.queryEditableText().setTextContents(text)
        time.sleep(0.5)

    def click(self, acc, label=None):
        self.step(f'click {label or acc.name}')
        action = acc.queryAction()
        for i in range(action.nActions):
            if action.getName(i) in ('click', 'activate', 'press'):
                action.doAction(i)
                time.sleep(0.5)
                return
        action.doAction(0)
        time.sleep(0.5)

    def right_click(self, acc, label=None):
        self.step(f'right-click {label or acc.name}')
        x, y, w, h = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        pyatspi.Registry.generateMouseEvent(x + w // 2, y + h // 2, 'b3c')
        time.sleep(0.5)

    def check(self):
        goal = GOALS[self.name]
        diag(f'{self.name}: {len(self.steps)} interactions (goal ≤ {goal}): '
             + ', '.join(self.steps))
        tap(len(self.steps) <= goal, f'{self.name} in {len(self.steps)} interactions, '
            f'goal {goal} ({LANGUAGE})')


MODIFIERS = {'ctrl': ('Control_L', 1 << 2), 'shift': ('Shift_L', 1 << 0),
             'alt': ('Alt_L', 1 << 3)}
KEYSYMS = {'return': 0xff0d, 'escape': 0xff1b, 'f10': 0xffc7, 'menu': 0xff67, 'tab': 0xff09}


def press(combo):
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
    time.sleep(0.7)


def clipboard():
    out = subprocess.run(['xclip', '-o', '-selection', 'clipboard'], capture_output=True,
                         text=True, timeout=20)
    return out.stdout


def kubectl(kubeconfig, *args):
    out = subprocess.run(['kubectl', '--kubeconfig', kubeconfig, *args], capture_output=True,
                         text=True, timeout=60)
    return out.returncode, out.stdout + out.stderr


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


def main():
    scratch = tempfile.mkdtemp(prefix='sitrep-e2e-')
    env = dict(os.environ)
    # The suite keeps GTK off the accessibility bus; this test is all about it.
    env.pop('GTK_A11Y', None)
    env.pop('NO_AT_BRIDGE', None)
    env.pop('G_DEBUG', None)
    env['GDK_BACKEND'] = 'x11'
    env['LANGUAGE'] = LANGUAGE
    env['LANG'] = env['LC_ALL'] = 'C.UTF-8'
    env['SITREP_LOCALEDIR'] = os.path.join(BUILD, 'po')
    env['GSETTINGS_SCHEMA_DIR'] = os.path.join(BUILD, 'data')
    # A commander who has led before: the lead is asked once, then remembered.
    env['GSETTINGS_BACKEND'] = 'keyfile'
    env['XDG_CONFIG_HOME'] = os.path.join(scratch, 'config')
    env['XDG_DATA_HOME'] = os.path.join(scratch, 'data')
    env['HOME'] = scratch
    settings = os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
    os.makedirs(settings)
    with open(os.path.join(settings, 'keyfile'), 'w') as f:
        f.write("[org/carecircle/Sitrep]\nlead-name='Ada Lovelace'\n")
    os.environ.update({k: env[k] for k in ('LANGUAGE',)})
    database = os.path.join(scratch, 'incidents.db')
    open(database, 'w').close()
    export_dir = os.path.join(scratch, 'exports')
    os.makedirs(export_dir)

    app_proc = subprocess.Popen([SITREP, '--database', database], env=env, cwd=export_dir,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
    try:
        run(app_proc, env, export_dir)
    except Failed as e:
        tap(False, str(e))
        dump_tree(app_proc.pid)
    except Exception as e:
        tap(False, f'{type(e).__name__}: {e}')
        diag(traceback.format_exc())
        dump_tree(app_proc.pid)
    finally:
        if app_proc.poll() is None:
            app_proc.send_signal(signal.SIGTERM)
            try:
                app_proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                app_proc.kill()
        output = app_proc.stdout.read()
        crashed = app_proc.returncode is not None and app_proc.returncode < 0 \
            and app_proc.returncode != -signal.SIGTERM
        tap(not crashed, f'sitrep did not crash (exit {app_proc.returncode})')
        if crashed or not all(results):
            diag(output[-4000:])
        shutil.rmtree(scratch, ignore_errors=True)
    print(f'1..{len(results)}')
    return 0 if all(results) else 1


def run(app_proc, env, export_dir):
    app = wait_for('sitrep on the accessibility bus', lambda: find_app(app_proc.pid))
    main_window = wait_for('the main window', lambda: windows(app) and windows(app)[0])

    # The drill: one click on the first-run page (setup, not part of a journey).
    drill = wait_for('“Practise with a Drill”',
                     lambda: find(main_window, pyatspi.ROLE_PUSH_BUTTON,
                                  contains=plain(_('Practise with a _Drill')))
                     or find(main_window, pyatspi.ROLE_PUSH_BUTTON,
                             contains=plain(_('Practise with a Drill'))))
    Journey('setup').click(drill)
    kubeconfig = wait_for('the drill’s kubeconfig', lambda: (glob.glob(os.path.join(
        env['XDG_RUNTIME_DIR'], f'sitrep-drill-{app_proc.pid}-*', 'kubeconfig')) or [None])[0])
    # The drill's API goes down after about 40 simulated seconds.
    api_down = f"API: {C_('health', 'Down')}."
    wait_for('the API tile to say Down', lambda: find(main_window, prefix=api_down), timeout=180)
    check_names(app, 'Health view')

    # 1. From the console: SEV-1 declared, the initial status message on the clipboard.
    subprocess.run(['xclip', '-selection', 'clipboard'], input='nothing yet', text=True,
                   timeout=20)
    journey = Journey('declare')
    journey.key('ctrl+n')
    dialog = wait_for('the Declare dialog', lambda: window_named(app, _('Declare Incident')))
    sev1 = wait_for('SEV-1', lambda: find(dialog, (pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_CHECK_BOX),
                                        prefix='SEV-1'))
    tap(sev1.getState().contains(pyatspi.STATE_CHECKED),
        'the API is down: SEV-1 is picked already')
    check_names(app, 'Declare dialog')
    summary = 'API answers 503 to every request'
    journey.type(summary)
    journey.key('return')
    wait_for('the declared page', lambda: find(dialog, pyatspi.ROLE_LABEL,
                                               name=_('%s Incident Declared') % 'SEV-1'))
    check_names(app, 'Declared page')
    journey.key('ctrl+shift+c')
    copied = wait_for('the message on the clipboard',
                      lambda: summary in clipboard() and clipboard())
    journey.check()
    tap('SEV-1' in copied and 'Ada Lovelace' in copied
        and not re.search(r'\[[a-z_]+\]', copied),
        'the clipboard holds the initial status, every placeholder filled')
    diag(copied)
    press('escape')
    wait_for('the Declare dialog to close', lambda: not window_named(app, _('Declare Incident')))

    # 2. Restart the API through its confirmation, from the Health view.
    press('alt+1')
    tile = wait_for('the API tile', lambda: find(main_window, prefix=api_down))
    journey = Journey('restart')
    journey.right_click(tile, 'the API tile')
    restart = wait_for('“Restart…” in the tile’s menu',
                       lambda: find(app, pyatspi.ROLE_MENU_ITEM,
                                    name=_('%s…') % 'Restart'))
    check_names(app, 'Tile menu')
    journey.click(restart)
    dialog = wait_for('the confirmation', lambda: find(app, pyatspi.ROLE_PUSH_BUTTON,
                                                       contains=plain(_('_Run'))) and windows(app)[-1])
    check_names(app, 'Confirmation')
    entry = find(dialog, (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT))
    if entry is not None and entry.getState().contains(pyatspi.STATE_FOCUSED):
        journey.type('carecircle-api')
    else:
        journey.fill(entry, 'carecircle-api')
    journey.click(find(dialog, pyatspi.ROLE_PUSH_BUTTON, contains=plain(_('_Run'))))
    journey.check()

    # The real kubectl sees the restart in the drill's API.
    def restarted():
        code, out = kubectl(kubeconfig, 'get', 'deployment', 'carecircle-api', '-o',
                            'jsonpath={.spec.template.metadata.annotations}')
        return code == 0 and 'restartedAt' in out and out
    wait_for('kubectl to see the API restarted', restarted)
    tap(True, 'kubectl sees the restart the console ran')
    check_names(app, 'Command output')
    press('escape')  # the command's output window

    # On the timeline, live: the restart's end comes while the view is open.
    press('alt+3')
    finished = (_('%s on %s: %s') % ('Restart', 'API', '')).strip()
    wait_for('the restart on the timeline', lambda: find(main_window, prefix=finished))
    tap(True, 'the restart is on the timeline while it is open')
    check_names(app, 'Timeline')

    # An update: Ctrl+M, then Copy (twice when the first names a placeholder still to fill).
    subprocess.run(['xclip', '-selection', 'clipboard'], input='nothing yet', text=True,
                   timeout=20)
    press('ctrl+m')
    composer = wait_for('the composer', lambda: len(windows(app)) > 1 and windows(app)[-1])
    copy = wait_for('the composer’s Copy', lambda: find(composer, pyatspi.ROLE_PUSH_BUTTON,
                                                        name=_('_Copy')))
    check_names(app, 'Messages')
    update = Journey('update')
    update.click(copy)
    if clipboard() == 'nothing yet':
        update.click(copy)
    posted = wait_for('the update on the clipboard',
                      lambda: clipboard() != 'nothing yet' and clipboard())
    diag(posted)
    tap(summary in posted or 'SEV-1' in posted, 'the update is on the clipboard')
    # The first Escape may go to the "Copied" toast, as in any libadwaita window.
    press('escape')
    if len(windows(app)) > 1:
        press('escape')
    wait_for('the composer to close', lambda: len(windows(app)) == 1)

    # Resolve: the status in the Incident view.
    press('alt+2')
    words = {_('Resolved'), C_('incident status', 'Resolved'), 'Resolved'}
    resolved = wait_for('“Resolved”', lambda: next(
        (acc for acc in walk(main_window) if acc.name and plain(acc.name) in words
         and acc.getRole() in (pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_PUSH_BUTTON,
                               pyatspi.ROLE_RADIO_BUTTON)), None))
    Journey('resolve').click(resolved)
    time.sleep(2)
    for w in windows(app)[1:]:
        diag(f'after resolving: a window {w.name}')

    # 3. The resolved incident's post-mortem, on disk: Ctrl+Shift+E opens it at its export and
    # names what is unfilled; again exports as it is; Enter saves under the name offered.
    journey = Journey('export')
    journey.key('ctrl+shift+e')
    time.sleep(2)
    if window_named(app, _('Export Post-Mortem')) is None:
        editor = wait_for('the post-mortem', lambda: window_named(app, _('Post-Mortem')))
        journey.click(find(editor, pyatspi.ROLE_PUSH_BUTTON, contains=plain(_('_Export…'))))
    chooser = wait_for('the file chooser', lambda: window_named(app, _('Export Post-Mortem')))
    check_names(app, 'Export')
    journey.key('return')
    path = wait_for('the post-mortem on disk', lambda: (glob.glob(os.path.join(export_dir,
                                                                               '*.md')) or [None])[0])
    journey.check()

    # A new file is written in place (GIO renames only over an existing one): read it once its
    # size has stopped changing, not the moment its name appears.
    def settled():
        size = os.path.getsize(path)
        time.sleep(0.5)
        return size > 0 and size == os.path.getsize(path)
    wait_for('the post-mortem written out', settled)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    html = markdown.Markdown(extensions=['tables']).convert(text)
    parsed = '<h1>' in html and summary in html and 'carecircle-api' in html
    if not parsed:
        diag(f'{path}:\n{text}')
    tap(parsed, 'the post-mortem parses as CommonMark with its title, summary and the restart')

    tap(not unnamed, 'every control has an accessible name')
    for line in sorted(unnamed):
        diag(line)


if __name__ == '__main__':
    sys.exit(main())
