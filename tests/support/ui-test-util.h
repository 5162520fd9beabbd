/* ui-test-util.h: the setup the tests under a real display share, and the real app run on it */
#pragma once

#include "sitrep-application.h"
#include "sitrep-declare-dialog.h"
#include "sitrep-window.h"

G_BEGIN_DECLS

typedef void (*UiTestWindowFunc) (SitrepApplication *app,
                                  SitrepWindow      *window,
                                  gpointer           data);

/* Whether what a test waits for holds in @window. */
typedef gboolean (*UiTestCondition) (SitrepWindow *window,
                                     gpointer      data);

char *ui_test_init                 (int               *argc,
                                    char            ***argv,
                                    const char        *name);
char *ui_test_database             (const char        *name,
                                    gboolean           fresh);
void  ui_test_remove_database      (const char        *path);
void  ui_test_run_app              (const char *const *argv,
                                    gboolean           unique,
                                    UiTestWindowFunc   func,
                                    gpointer           data);
void  ui_test_serve_notifications  (void);
GtkWidget *ui_test_find_descendant (GtkWidget         *widget,
                                    GType              type);
gboolean ui_test_wait_until        (SitrepWindow      *window,
                                    guint              seconds,
                                    UiTestCondition    condition,
                                    gpointer           data);
gboolean ui_test_store_open        (SitrepWindow      *window,
                                    gpointer           data);
SitrepDeclareDialog *ui_test_find_declare_dialog (void);
gboolean ui_test_declare_dialog_open (SitrepWindow    *window,
                                      gpointer         data);
gboolean ui_test_declare_dialog_on_page (SitrepWindow *window,
                                         gpointer      data);
gboolean ui_test_timeline_shows    (SitrepWindow      *window,
                                    gpointer           data);

G_END_DECLS
