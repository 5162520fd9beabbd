#!/usr/bin/python3
# test-e2e-postmortem-a11y.py: the post-mortem saved 50 times, its action items added, edited and
# removed between saves, while a second AT-SPI client reads the whole accessibility tree as a
# screen reader does. Sitrep must live through it without one GLib critical: GTK 4.8 died in
# g_variant_new (an object path of NULL) when a widget reached AT-SPI before it had one.
#
#   test-e2e-postmortem-a11y.py SITREP_BINARY BUILD_DIR
#
# Needs Debian's python3-pyatspi, an X display and a session bus. Prints TAP.
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The suite's fatal warnings are for the app; the AT-SPI client warns about objects that go away
# while it reads them, which is what this test makes happen.
os.environ.pop('G_DEBUG', None)

import pyatspi  # noqa: E402
from sitrep_atspi import (Failed, app_environment, catalogue, crashed, diag, do_action,  # noqa: E402
                          dump_tree, find, find_all, find_app, finish, northwind, press, stop,
                          tap, wait_for, window_named, windows)

SITREP, BUILD = sys.argv[1], sys.argv[2]
_, C_ = catalogue(BUILD, 'en')
SAVES = 50
# GTK 4.8 says "text" for a one-line entry.
FIELD = (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT)


def main():
    scratch = tempfile.mkdtemp(prefix='sitrep-pm-a11y-')
    runbook = os.path.join(scratch, 'northwind.json')
    digest = northwind(runbook)
    env = app_environment(BUILD, scratch, settings=f"lead-name='Ada Lovelace'\n"
                                                   f"trusted-runbooks=['{digest}']\n")
    database = os.path.join(scratch, 'incidents.db')
    open(database, 'w').close()
    declared = subprocess.run([SITREP, 'incident', 'declare', '--severity', 'P1', '--title',
                               'Labels fail to print', '--runbook', runbook, '--database',
                               database], env=env, capture_output=True, text=True, timeout=60)
    incident = declared.stdout.strip()
    if declared.returncode != 0 or not incident.isdigit():
        tap(False, f'declaring through the CLI: {declared.stdout}{declared.stderr}')
        return finish()

    # A GLib critical is the warning before the crash: make it one.
    app_env = dict(env, G_DEBUG='fatal-criticals')
    app_proc = subprocess.Popen([SITREP, '--runbook', runbook, '--database', database,
                                 '--paused'], env=app_env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
    walker = None
    try:
        app = wait_for('sitrep on the accessibility bus', lambda: find_app(app_proc.pid))
        walker = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(
            os.path.abspath(__file__)), 'sitrep_atspi.py'), 'walk', str(app_proc.pid)],
            env=env, stdout=subprocess.PIPE, text=True)
        run(app, app_proc, database, env, incident)
    except Failed as e:
        tap(False, str(e))
        dump_tree(app_proc.pid)
    except Exception as e:
        tap(False, f'{type(e).__name__}: {e}')
        diag(traceback.format_exc())
    finally:
        passes = 0
        if walker is not None:
            stop(walker)
            passes = int((walker.stdout.read().strip() or '0').splitlines()[-1])
        tap(passes >= 2, f'the second client read the whole tree {passes} times meanwhile')
        alive = app_proc.poll() is None
        stop(app_proc)
        output = app_proc.stdout.read()
        tap(alive and not crashed(app_proc),
            f'sitrep lived through every save (exit {app_proc.returncode})')
        criticals = [line for line in output.splitlines() if 'CRITICAL' in line]
        tap(not criticals, 'no GLib critical was printed')
        if criticals or not alive or crashed(app_proc):
            diag(output[-4000:])
        shutil.rmtree(scratch, ignore_errors=True)
    return finish()


def retry(what, act, times=5):
    """Does ACT again when what it acted on went away under it (a row replaced meanwhile)."""
    for attempt in range(times):
        try:
            return act()
        except Exception as e:
            if attempt == times - 1:
                raise Failed(f'{what}: {type(e).__name__}: {e}')
            time.sleep(0.2)


def run(app, app_proc, database, env, incident):
    wait_for('the main window', lambda: windows(app))
    press('f10')
    item = wait_for('“Post-Mortem…” in the main menu',
                    lambda: find(app, pyatspi.ROLE_MENU_ITEM, name=_('_Post-Mortem…')))
    do_action(item)
    editor = wait_for('the post-mortem', lambda: window_named(app, _('Post-Mortem')))
    add = wait_for('Add Action Item', lambda: find(editor, pyatspi.ROLE_PUSH_BUTTON,
                                                   name=_('Add Action Item')))
    save = find(editor, pyatspi.ROLE_PUSH_BUTTON, name=_('_Save'))
    if save is None:
        raise Failed('the post-mortem has no Save button')

    # The rows' list, found once from its first row: each cycle reads only the list, as a
    # screen reader's user moving through it does, while the other client reads everything.
    do_action(add)
    first = wait_for('the first action item', lambda: find(editor, FIELD, name=_('Action')))
    items = first
    while items is not None and items.getRole() not in (pyatspi.ROLE_LIST_BOX, pyatspi.ROLE_LIST):
        items = items.parent
    if items is None:
        raise Failed('the action items are in no list')
    first.queryEditableText().setTextContents('Action item #start.')
    expected = ['Action item #start.']

    def fields():
        return find_all(items, FIELD, name=_('Action'))

    for cycle in range(SAVES):
        if app_proc.poll() is not None:
            raise Failed(f'sitrep ended during save {cycle + 1}')
        entries = wait_for(f'{len(expected)} action items shown before save {cycle + 1}',
                           lambda: (lambda shown: len(shown) == len(expected) and shown)(fields()),
                           timeout=10, interval=0.05)
        if cycle % 3 == 0 or len(expected) < 2:
            do_action(add)
            text = f'Action item #{cycle}.'
            wait_for('the new action item', lambda: len(fields()) == len(entries) + 1,
                     interval=0.05)
            retry('typing the new item', lambda: fields()[-1].queryEditableText()
                  .setTextContents(text))
            expected.append(text)
        elif cycle % 3 == 1:
            text = f'Action item #{cycle}, edited.'
            retry('editing the first item', lambda: fields()[0].queryEditableText()
                  .setTextContents(text))
            expected[0] = text
        else:
            retry('removing the first item', lambda: do_action(find_all(
                items, pyatspi.ROLE_PUSH_BUTTON, name=_('Remove Action Item'))[0]))
            wait_for('the removed row to go', lambda: len(fields()) == len(entries) - 1,
                     interval=0.05)
            expected.pop(0)
        do_action(save)
    wait_for('the last save', lambda: find(editor, contains=_('Post-mortem saved')), timeout=10)
    time.sleep(1)
    if app_proc.poll() is not None:
        raise Failed('sitrep ended after the last save')

    # What the last save wrote is what the rows said, in their order.
    exported = subprocess.run([sys.argv[1], 'export', incident, '--database', database],
                              env=env, capture_output=True, text=True, timeout=60)
    positions = [exported.stdout.find(text) for text in expected]
    listed = exported.returncode == 0 and -1 not in positions and positions == sorted(positions)
    tap(listed, f'the saved post-mortem lists the {len(expected)} action items shown, in order')
    if not listed:
        diag(exported.stdout + exported.stderr)


if __name__ == '__main__':
    sys.exit(main())
