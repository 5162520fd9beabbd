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
import glob
import os
import re
import shutil
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sitrep_atspi import (CONTROL_ROLES, Failed, app_environment, catalogue,  # noqa: E402
                          crashed, diag, do_action, dump_tree, find, find_app, finish, plain,
                          press, results, showing, stop, tap, wait_for, walk, window_named,
                          windows)

SITREP, BUILD, LANGUAGE = sys.argv[1], sys.argv[2], sys.argv[3]
_, C_ = catalogue(BUILD, LANGUAGE)


GOALS = {'declare': 5, 'restart': 4, 'export': 3}

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
        do_action(acc)
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


def clipboard():
    out = subprocess.run(['xclip', '-o', '-selection', 'clipboard'], capture_output=True,
                         text=True, timeout=20)
    return out.stdout


def kubectl(kubeconfig, *args):
    out = subprocess.run(['kubectl', '--kubeconfig', kubeconfig, *args], capture_output=True,
                         text=True, timeout=60)
    return out.returncode, out.stdout + out.stderr


def main():
    scratch = tempfile.mkdtemp(prefix='sitrep-e2e-')
    # A commander who has led before: the lead is asked once, then remembered.
    env = app_environment(BUILD, scratch, LANGUAGE, "lead-name='Ada Lovelace'\n")
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
        stop(app_proc)
        output = app_proc.stdout.read()
        tap(not crashed(app_proc), f'sitrep did not crash (exit {app_proc.returncode})')
        if crashed(app_proc) or not all(results):
            diag(output[-4000:])
        shutil.rmtree(scratch, ignore_errors=True)
    return finish()


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
    # The last window, once it holds Run and the field to type into: on a busy machine the last
    # window listed may still be another (the tile's menu closing) when Run first shows.
    def confirmation():
        last = windows(app)[-1]
        return (find(last, pyatspi.ROLE_PUSH_BUTTON, contains=plain(_('_Run')))
                and find(last, (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT)) and last)

    dialog = wait_for('the confirmation', confirmation)
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
    # The first Escape may go to the "Copied" toast, as in any libadwaita window, and on a busy
    # machine a press can come before the window has the focus again: Escape again, as a
    # person would, while the composer is still open.
    for _attempt in range(4):
        press('escape')
        try:
            wait_for('the composer to close', lambda: len(windows(app)) == 1, timeout=10)
            break
        except Failed:
            diag('the composer is still open after Escape')
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
