/*
 * notifyd.c — a minimal desktop notification server for the tests: it
 * owns org.freedesktop.Notifications on the session bus, answers what
 * libnotify asks (Notify, GetCapabilities, GetServerInformation,
 * CloseNotification), and writes one line per Notify call to a log:
 *
 *     urgency=2<TAB>app=dutydesk<TAB>summary=…<TAB>body=…
 *
 * so a shell test can assert what dutydesk sent and with which urgency
 * hint.  It prints "ready" on standard output once it owns the name, and
 * ends when the bus goes away or on SIGTERM.  Built by tests/notify/run.sh
 * with GIO (from libglib2.0-dev, which libnotify-dev brings).
 *
 *     notifyd LOGFILE
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <stdio.h>

static const char introspection[] =
	"<node><interface name='org.freedesktop.Notifications'>"
	"<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
	"<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
	"<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
	"<arg type='u' direction='out'/></method>"
	"<method name='CloseNotification'><arg type='u' direction='in'/></method>"
	"<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
	"<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
	"<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
	"</interface></node>";

static FILE *log_file;
static GMainLoop *loop;
static guint32 next_id = 1;

/* Tabs and newlines in the text would break the one-line format. */
static void put_clean(const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, log_file);
}

static void on_call(GDBusConnection *c, const gchar *sender, const gchar *path, const gchar *iface,
		    const gchar *method, GVariant *params, GDBusMethodInvocation *inv, gpointer data)
{
	(void)c;
	(void)sender;
	(void)path;
	(void)iface;
	(void)data;
	if (g_strcmp0(method, "Notify") == 0) {
		const gchar *app, *icon, *summary, *body;
		guint32 replaces;
		gint32 timeout;
		GVariant *actions, *hints;
		g_variant_get(params, "(&su&s&s&s@as@a{sv}i)", &app, &replaces, &icon, &summary, &body, &actions, &hints,
			      &timeout);
		guchar urgency = 1;   /* normal, when no hint says otherwise */
		g_variant_lookup(hints, "urgency", "y", &urgency);
		fprintf(log_file, "urgency=%u\tapp=", urgency);
		put_clean(app);
		fputs("\tsummary=", log_file);
		put_clean(summary);
		fputs("\tbody=", log_file);
		put_clean(body);
		fputc('\n', log_file);
		fflush(log_file);
		g_variant_unref(actions);
		g_variant_unref(hints);
		g_dbus_method_invocation_return_value(inv, g_variant_new("(u)", next_id++));
	} else if (g_strcmp0(method, "GetCapabilities") == 0) {
		const gchar *caps[] = { "body", NULL };
		g_dbus_method_invocation_return_value(inv, g_variant_new("(^as)", caps));
	} else if (g_strcmp0(method, "GetServerInformation") == 0) {
		g_dbus_method_invocation_return_value(inv, g_variant_new("(ssss)", "notifyd", "dutydesk tests", "1", "1.2"));
	} else {
		g_dbus_method_invocation_return_value(inv, NULL);
	}
}

static const GDBusInterfaceVTable vtable = { on_call, NULL, NULL, { 0 } };

static void on_bus(GDBusConnection *c, const gchar *name, gpointer data)
{
	(void)name;
	GDBusNodeInfo *info = data;
	g_dbus_connection_register_object(c, "/org/freedesktop/Notifications", info->interfaces[0], &vtable, NULL, NULL,
					  NULL);
}

static void on_name(GDBusConnection *c, const gchar *name, gpointer data)
{
	(void)c;
	(void)name;
	(void)data;
	puts("ready");
	fflush(stdout);
}

static void on_lost(GDBusConnection *c, const gchar *name, gpointer data)
{
	(void)c;
	(void)name;
	(void)data;
	g_main_loop_quit(loop);
}

static gboolean on_term(gpointer data)
{
	(void)data;
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: notifyd LOGFILE\n");
		return 2;
	}
	if (!(log_file = fopen(argv[1], "a"))) {
		perror(argv[1]);
		return 1;
	}
	GDBusNodeInfo *info = g_dbus_node_info_new_for_xml(introspection, NULL);
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_term, NULL);
	guint owner = g_bus_own_name(G_BUS_TYPE_SESSION, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
				     on_bus, on_name, on_lost, info, NULL);
	g_main_loop_run(loop);
	g_bus_unown_name(owner);
	g_dbus_node_info_unref(info);
	fclose(log_file);
	return 0;
}
