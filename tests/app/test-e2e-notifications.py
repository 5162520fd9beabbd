#!/usr/bin/python3
# test-e2e-notifications.py: an escalation step or a status update that falls due while nobody
# looks at the console is a desktop notification naming the incident and what is due; clicked, it
# opens where that is done (the escalation path, the message composer).
#
# The test's display has no window manager, and GTK 4.8 on X11 then never counts a window as
# focused (the X focus set on it with XSetInputFocus leaves gtk_window_is_active() FALSE): the
# console is "not looked at" throughout, and the case of a focused window, where the banner alone
# speaks, is not reached here.
#
#   test-e2e-notifications.py SITREP_BINARY BUILD_DIR
#
# On a display and session bus of its own (own-display.sh --bus): the test owns the desktop's
# notification service there. Time is the wall clock: the runbook's steps fall due seconds after
# the declaration. Prints TAP.
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.pop('G_DEBUG', None)

import pyatspi  # noqa: E402
from sitrep_atspi import (Failed, app_environment, catalogue, crashed, diag,  # noqa: E402
                          dump_tree, find, find_app, finish, northwind, press,
                          results, stop, tap, wait_for, walk, window_named, windows)

SITREP, BUILD = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
_, C_ = catalogue(BUILD, 'en')
SUMMARY = 'Labels fail to print'


def quick_clocks(runbook):
    """P1's first responder at 8 s and its update every 16 s; the duty manager as it was."""
    for severity in runbook['severities']:
        if severity['id'] == 'P1':
            severity['update_every'] = '16s'
    for path in runbook['escalation']:
        if 'P1' in path['severities']:
            path['steps'][0]['after'] = '8s'


class Server:
    """The notification service, in a process of its own; what it was given, as it comes."""

    def __init__(self, env):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, 'notification_server.py')],
                                     env=env, stdout=subprocess.PIPE, text=True)
        self.lines = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(30):
            raise Failed('the notification service did not start')

    def _read(self):
        for line in self.proc.stdout:
            if line.strip() == 'ready':
                self.ready.set()
            elif line.startswith('{'):
                self.lines.append(json.loads(line))

    def received(self):
        """What fell due: the health changes that are notified too are left out."""
        health = (_('%s is down') % '', _('%s has recovered') % '')
        return [n for n in self.lines if not n['summary'].endswith(health)]

    def click(self, notification, env):
        subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.Notifications',
                        '--object-path', '/org/freedesktop/Notifications', '--method',
                        'org.sitrep.Test.Click', str(notification['id']), 'default'],
                       env=env, check=True, capture_output=True, timeout=30)


def main():
    scratch = tempfile.mkdtemp(prefix='sitrep-notify-')
    runbook = os.path.join(scratch, 'northwind.json')
    digest = northwind(runbook, edit=quick_clocks)
    env = app_environment(BUILD, scratch, settings=f"lead-name='Ada Lovelace'\n"
                                                   f"trusted-runbooks=['{digest}']\n")
    database = os.path.join(scratch, 'incidents.db')
    open(database, 'w').close()
    server = app_proc = None
    try:
        server = Server(env)
        app_proc = subprocess.Popen([SITREP, '--runbook', runbook, '--database', database],
                                    env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, start_new_session=True)
        run(server, app_proc, env)
    except Failed as e:
        tap(False, str(e))
        if app_proc is not None:
            dump_tree(app_proc.pid)
    except Exception as e:
        tap(False, f'{type(e).__name__}: {e}')
        diag(traceback.format_exc())
    finally:
        if app_proc is not None:
            stop(app_proc)
            output = app_proc.stdout.read()
            tap(not crashed(app_proc), f'sitrep did not crash (exit {app_proc.returncode})')
            if crashed(app_proc) or not all(results):
                diag(output[-4000:])
        if server is not None:
            stop(server.proc)
            diag('notifications received:\n' + '\n'.join(json.dumps(n) for n in server.lines))
        shutil.rmtree(scratch, ignore_errors=True)
    return finish()


def declare(app):
    """P1, declared from the keyboard; returns the dialog, open on its declared page."""
    press('ctrl+n')
    dialog = wait_for('the Declare dialog', lambda: window_named(app, _('Declare Incident')))
    p1 = wait_for('P1', lambda: find(dialog, (pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_CHECK_BOX),
                                     prefix='P1'))
    if not p1.getState().contains(pyatspi.STATE_CHECKED):
        raise Failed('P1 is not picked with the gateway down')
    pyatspi.Registry.generateKeyboardEvent(0, SUMMARY, pyatspi.KEY_STRING)
    time.sleep(0.5)
    press('return')
    wait_for('the declared page', lambda: find(dialog, pyatspi.ROLE_LABEL,
                                               name=_('%s Incident Declared') % 'P1'))
    return dialog


def run(server, app_proc, env):
    app = wait_for('sitrep on the accessibility bus', lambda: find_app(app_proc.pid))
    main_window = wait_for('the main window', lambda: windows(app) and windows(app)[0])
    # Northwind's gateway answers nothing here (port 9): down, and P1 is picked for it.
    wait_for('the gateway to be down', lambda: find(main_window, prefix=f"Label Gateway: "
                                                                      f"{C_('health', 'Down')}."))

    declare(app)
    start = time.monotonic()
    check(server, app, main_window, env)
    diag(f'{time.monotonic() - start:.0f} s from the declaration')


def check(server, app, main_window, env):
    update = wait_for('the update notification', lambda: next(
        (n for n in server.received() if 'update' in n['summary'].lower()), None), timeout=60)
    tap(SUMMARY in update['summary'] and 'P1' in update['summary'] and SUMMARY in update['body'],
        f'the update due names its incident: “{update["summary"]}” / “{update["body"]}”')
    tap('default' in update['actions'], 'clicking it does something')
    escalation = wait_for('the escalation notification', lambda: next(
        (n for n in server.received() if 'Primary on duty' in n['summary']), None), timeout=60)
    tap('@nw-primary' in escalation['summary'] and SUMMARY in escalation['body']
        and 'P1' in escalation['body'],
        f'the step due names whom and the incident: “{escalation["summary"]}” / '
        f'“{escalation["body"]}”')
    tap(len(server.received()) == 2, 'each fell due once, one notification each')

    # Clicked: the update opens the composer, the escalation the incident's escalation path.
    server.click(update, env)
    composer = wait_for('the message composer', lambda: window_named(app, _('Compose Message')))
    tap(composer is not None, 'the update notification opens the message composer')
    server.click(escalation, env)

    def focus_in_escalation():
        for acc in walk(main_window):
            try:
                if acc.getState().contains(pyatspi.STATE_FOCUSED):
                    parent = acc
                    while parent is not None:
                        if (parent.name or '') == _('Escalation Path'):
                            return acc
                        parent = parent.parent
            except Exception:
                continue
        return None
    focused = wait_for('the focus on the escalation path', focus_in_escalation, timeout=30)
    tap(True, f'the escalation notification opens the escalation path ({focused.getRoleName()}: '
        f'{focused.name})')


if __name__ == '__main__':
    sys.exit(main())
