# notification_server.py: a desktop's notification service for the tests, on the session bus:
# owns org.freedesktop.Notifications (the service GLib 2.74's GNotification talks to when
# nothing owns org.gtk.Notifications and the app is not sandboxed), prints each notification it
# is given as a JSON line, and clicks one when asked:
#
#   gdbus call --session --dest org.freedesktop.Notifications \
#     --object-path /org/freedesktop/Notifications --method org.sitrep.Test.Click ID ACTION
#
# Prints "ready" once it owns the name.
import json
import sys

from gi.repository import Gio, GLib

PATH = '/org/freedesktop/Notifications'
XML = '''
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
  <interface name="org.sitrep.Test">
    <method name="Click"><arg type="u" direction="in"/><arg type="s" direction="in"/></method>
  </interface>
</node>
'''
last_id = 0


def call(connection, sender, path, interface, method, params, invocation):
    global last_id
    if method == 'Notify':
        app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
        last_id = replaces or last_id + 1
        print(json.dumps({'id': last_id, 'app': app, 'summary': summary, 'body': body,
                          'actions': actions, 'urgency': hints.get('urgency')}), flush=True)
        invocation.return_value(GLib.Variant('(u)', (last_id,)))
    elif method == 'CloseNotification':
        invocation.return_value(None)
    elif method == 'GetCapabilities':
        invocation.return_value(GLib.Variant('(as)', (['body', 'actions'],)))
    elif method == 'GetServerInformation':
        invocation.return_value(GLib.Variant('(ssss)', ('sitrep-test', 'Sitrep', '1', '1.2')))
    elif method == 'Click':
        ident, action = params.unpack()
        connection.emit_signal(None, PATH, 'org.freedesktop.Notifications', 'ActionInvoked',
                               GLib.Variant('(us)', (ident, action)))
        invocation.return_value(None)


def main():
    loop = GLib.MainLoop()
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    for interface in Gio.DBusNodeInfo.new_for_xml(XML).interfaces:
        bus.register_object(PATH, interface, call, None, None)
    Gio.bus_own_name_on_connection(bus, 'org.freedesktop.Notifications',
                                   Gio.BusNameOwnerFlags.DO_NOT_QUEUE,
                                   lambda *args: print('ready', flush=True),
                                   lambda *args: (print('lost', flush=True), loop.quit()))
    loop.run()


if __name__ == '__main__':
    sys.exit(main())
