/* bk-device-log-view.c: the device page's Logs tab
 *
 * A table of every request sent for the bridge (BkBridge's log): time,
 * method, path (with why it failed under it), host, status and duration.
 * The columns are in the template; each cell's labels are made by the
 * column's factory, which tells the column by which factory it is.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-device-common.h"
#include "bk-device-log-view.h"
#include "bk-format.h"

typedef enum { LOG_TIME, LOG_METHOD, LOG_PATH, LOG_HOST, LOG_STATUS, LOG_DURATION } LogColumn;

struct _BkDeviceLogView
{
  AdwBin              parent_instance;

  BkBridge           *bridge;
  GtkCustomFilter    *filter;
  GtkFilterListModel *model;

  /* Template widgets */
  GtkSearchEntry     *log_filter;
  GtkColumnView      *log_view;
  GtkListItemFactory *time_factory;
  GtkListItemFactory *method_factory;
  GtkListItemFactory *path_factory;
  GtkListItemFactory *host_factory;
  GtkListItemFactory *status_factory;
  GtkListItemFactory *duration_factory;
};

G_DEFINE_FINAL_TYPE (BkDeviceLogView, bk_device_log_view, ADW_TYPE_BIN)

/* Whether the request failed: no HTTP answer, an HTTP error, or a reply
 * the client could not use. A request with a note expected its status
 * (a reachability probe sent without credentials is answered 401): it
 * failed only when the client gives a reason. */
static gboolean
log_entry_failed (BkCmsLogEntry *entry)
{
  guint status = bk_cms_log_entry_get_status (entry);

  if (bk_cms_log_entry_get_failure (entry) != NULL)
    return TRUE;
  if (bk_cms_log_entry_get_note (entry) != NULL)
    return FALSE;
  return status == 0 || status >= 400;
}

/* Why a request failed, for the row, as a sentence: the log keeps the
 * client's technical reason (also in the exported trace); the row says it
 * in words. NULL when it did not fail. */
static char *
log_entry_dup_reason (BkCmsLogEntry *entry)
{
  guint status = bk_cms_log_entry_get_status (entry);
  const char *failure = bk_cms_log_entry_get_failure (entry);

  if (!log_entry_failed (entry))
    return NULL;
  if (status >= 400)
    {
      /* "CODE: reason parameter=value, ...": the bridge's own reasons. */
      const char *reasons = failure != NULL ? strstr (failure, ": ") : NULL;

      if (reasons != NULL)
        /* Translators: %u is an HTTP status code such as 400, %s the
         * bridge's reasons, e.g. "parameterError uri=1@x". */
        return g_strdup_printf (_("The bridge answered with HTTP error %u (%s)."), status, reasons + 2);
      /* Translators: %u is an HTTP status code such as 500. */
      return g_strdup_printf (_("The bridge answered with HTTP error %u."), status);
    }
  if (failure == NULL)
    return g_strdup (_("The bridge did not answer."));
  if (g_str_equal (failure, "timed out"))
    return g_strdup (_("The bridge did not answer in time."));
  if (g_str_equal (failure, "cancelled"))
    return g_strdup (_("The request was cancelled."));
  if (g_str_has_prefix (failure, "changed certificate "))
    /* Translators: %s is a SHA-256 fingerprint. */
    return g_strdup_printf (_("The bridge showed another certificate than the one you trusted (SHA-256 %s)."),
                            failure + strlen ("changed certificate "));
  if (g_str_has_prefix (failure, "untrusted certificate "))
    /* Translators: %s is a SHA-256 fingerprint. */
    return g_strdup_printf (_("The bridge's certificate is not trusted (SHA-256 %s)."),
                            failure + strlen ("untrusted certificate "));
  /* The system's own sentence (e.g. "Connection refused"). */
  if (g_str_has_suffix (failure, "."))
    return g_strdup (failure);
  return g_strconcat (failure, ".", NULL);
}

/* What the row says under the path: why it failed (shown as an error),
 * else the note of what was checked. */
static char *
log_entry_dup_explanation (BkCmsLogEntry *entry,
                           gboolean      *is_error)
{
  char *reason = log_entry_dup_reason (entry);
  const char *note = bk_cms_log_entry_get_note (entry);

  *is_error = reason != NULL;
  if (reason != NULL && note != NULL)
    {
      char *both = g_strdup_printf ("%s %s", reason, note);

      g_free (reason);
      return both;
    }
  if (reason != NULL)
    return reason;
  return g_strdup (note);
}

static LogColumn
column_of (BkDeviceLogView    *self,
           GtkListItemFactory *factory)
{
  if (factory == self->time_factory)
    return LOG_TIME;
  if (factory == self->method_factory)
    return LOG_METHOD;
  if (factory == self->path_factory)
    return LOG_PATH;
  if (factory == self->host_factory)
    return LOG_HOST;
  if (factory == self->status_factory)
    return LOG_STATUS;
  return LOG_DURATION;
}

static GtkWidget *
log_new_label (gboolean numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
log_setup_cb (GtkListItemFactory *factory,
              GtkListItem        *item,
              BkDeviceLogView    *self)
{
  GtkWidget *label;

  switch (column_of (self, factory))
    {
    case LOG_PATH:
      {
        /* The path, wrapped (and cut at the end past three lines, never
         * in the middle), and under it why the request failed. */
        GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
        GtkWidget *reason;

        label = log_new_label (FALSE);
        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
        gtk_label_set_lines (GTK_LABEL (label), 3);
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
        gtk_label_set_width_chars (GTK_LABEL (label), 16);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
        gtk_label_set_selectable (GTK_LABEL (label), FALSE);
        gtk_box_append (GTK_BOX (box), label);

        reason = log_new_label (FALSE);
        gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
        gtk_label_set_wrap_mode (GTK_LABEL (reason), PANGO_WRAP_WORD_CHAR);
        gtk_label_set_width_chars (GTK_LABEL (reason), 16);
        gtk_label_set_max_width_chars (GTK_LABEL (reason), 60);
        gtk_widget_add_css_class (reason, "caption");
        gtk_widget_set_visible (reason, FALSE);
        gtk_box_append (GTK_BOX (box), reason);

        gtk_list_item_set_child (item, box);
      }
      return;

    case LOG_HOST:
      label = log_new_label (TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      break;

    case LOG_TIME:
    case LOG_METHOD:
    case LOG_STATUS:
    case LOG_DURATION:
    default:
      label = log_new_label (TRUE);
      break;
    }

  gtk_list_item_set_child (item, label);
}

static void
log_bind_cb (GtkListItemFactory *factory,
             GtkListItem        *item,
             BkDeviceLogView    *self)
{
  BkCmsLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkLabel *label = GTK_IS_LABEL (child) ? GTK_LABEL (child) : NULL;
  g_autofree char *text = NULL;

  switch (column_of (self, factory))
    {
    case LOG_TIME:
      {
        g_autoptr(GDateTime) local = g_date_time_to_local (bk_cms_log_entry_get_time (entry));

        text = g_date_time_format (local, "%H:%M:%S");
      }
      break;
    case LOG_METHOD:
      text = g_strdup (bk_cms_log_entry_get_method (entry));
      break;
    case LOG_PATH:
      {
        GtkWidget *path = gtk_widget_get_first_child (child);
        GtkWidget *reason = gtk_widget_get_next_sibling (path);
        gboolean is_error = FALSE;
        g_autofree char *why = log_entry_dup_explanation (entry, &is_error);

        gtk_label_set_text (GTK_LABEL (path), bk_cms_log_entry_get_path (entry));
        /* The whole path, also when cut at the end. */
        gtk_widget_set_tooltip_text (path, bk_cms_log_entry_get_path (entry));
        gtk_label_set_text (GTK_LABEL (reason), why != NULL ? why : "");
        gtk_widget_set_visible (reason, why != NULL);
        if (is_error)
          {
            gtk_widget_add_css_class (reason, "error");
            gtk_widget_remove_css_class (reason, "dim-label");
          }
        else
          {
            gtk_widget_remove_css_class (reason, "error");
            gtk_widget_add_css_class (reason, "dim-label");
          }
      }
      return;
    case LOG_HOST:
      text = g_strdup (bk_cms_log_entry_get_bridge (entry));
      gtk_widget_set_tooltip_text (child, text);
      break;
    case LOG_STATUS:
      if (bk_cms_log_entry_get_status (entry) != 0)
        text = g_strdup_printf ("%u", bk_cms_log_entry_get_status (entry));
      else
        /* Translators: the status of a request that got no HTTP answer. */
        text = g_strdup (_("No answer"));
      if (log_entry_failed (entry))
        gtk_widget_add_css_class (child, "error");
      else
        gtk_widget_remove_css_class (child, "error");
      break;
    case LOG_DURATION:
    default:
      text = bk_format_duration_us (bk_cms_log_entry_get_duration_us (entry));
      break;
    }

  gtk_label_set_text (label, text != NULL ? text : "");
}

static gboolean
log_filter_func (gpointer item,
                 gpointer user_data)
{
  BkDeviceLogView *self = user_data;
  BkCmsLogEntry *entry = item;
  const char *needle = self->log_filter != NULL ? gtk_editable_get_text (GTK_EDITABLE (self->log_filter)) : NULL;
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *folded_needle = NULL;
  g_autofree char *hay = NULL;

  if (self->log_filter == NULL || needle == NULL || *needle == '\0')
    return TRUE;

  status = g_strdup_printf ("%u", bk_cms_log_entry_get_status (entry));
  {
    gboolean is_error;

    reason = log_entry_dup_explanation (entry, &is_error);
  }
  hay = g_strjoin (" ", bk_cms_log_entry_get_method (entry), bk_cms_log_entry_get_path (entry),
                   bk_cms_log_entry_get_bridge (entry), status, reason != NULL ? reason : "", NULL);
  folded = g_utf8_casefold (hay, -1);
  folded_needle = g_utf8_casefold (needle, -1);
  return strstr (folded, folded_needle) != NULL;
}

static void
log_filter_changed_cb (BkDeviceLogView *self)
{
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
bk_device_log_view_set_bridge (BkDeviceLogView *self,
                               BkBridge        *bridge)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (BK_IS_DEVICE_LOG_VIEW (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));
  g_return_if_fail (self->bridge == NULL);

  self->bridge = g_object_ref (bridge);
  self->filter = gtk_custom_filter_new (log_filter_func, self, NULL);
  self->model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (bk_bridge_get_log (bridge))),
                                           g_object_ref (GTK_FILTER (self->filter)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->log_view, GTK_SELECTION_MODEL (selection));
}

GListModel *
bk_device_log_view_get_model (BkDeviceLogView *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_LOG_VIEW (self), NULL);

  return G_LIST_MODEL (self->model);
}

void
bk_device_log_view_copy_trace (BkDeviceLogView *self)
{
  g_autofree char *trace = NULL;

  g_return_if_fail (BK_IS_DEVICE_LOG_VIEW (self));

  trace = bk_cms_log_export_trace (bk_bridge_get_log (self->bridge));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), trace);
  bk_device_add_toast (GTK_WIDGET (self), _("API trace copied"));
}

static void
log_saved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BkDeviceLogView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_cms_log_export_trace_to_file_finish (BK_CMS_LOG (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The API trace was not saved: %s"), error->message);

      bk_device_add_toast (GTK_WIDGET (self), text);
    }
  else
    bk_device_add_toast (GTK_WIDGET (self), _("API trace saved"));
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(BkDeviceLogView) self = user_data;

  g_debug ("Save API trace: response %d", response);
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      bk_cms_log_export_trace_to_file_async (bk_bridge_get_log (self->bridge), file, NULL,
                                             log_saved_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

void
bk_device_log_view_save_trace (BkDeviceLogView *self,
                               const char      *file_name)
{
  GtkFileChooserNative *chooser;

  g_return_if_fail (BK_IS_DEVICE_LOG_VIEW (self));

  chooser = gtk_file_chooser_native_new (_("Save API Trace"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file_name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
bk_device_log_view_dispose (GObject *object)
{
  BkDeviceLogView *self = BK_DEVICE_LOG_VIEW (object);

  /* The log lives on with the bridge: stop filtering it for this view. */
  g_clear_object (&self->model);
  g_clear_object (&self->filter);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_LOG_VIEW);

  G_OBJECT_CLASS (bk_device_log_view_parent_class)->dispose (object);
}

static void
bk_device_log_view_finalize (GObject *object)
{
  BkDeviceLogView *self = BK_DEVICE_LOG_VIEW (object);

  g_clear_object (&self->bridge);

  G_OBJECT_CLASS (bk_device_log_view_parent_class)->finalize (object);
}

static void
bk_device_log_view_class_init (BkDeviceLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_log_view_dispose;
  object_class->finalize = bk_device_log_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-log-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BkDeviceLogView, name)
  BIND (log_filter);
  BIND (log_view);
  BIND (time_factory);
  BIND (method_factory);
  BIND (path_factory);
  BIND (host_factory);
  BIND (status_factory);
  BIND (duration_factory);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, log_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, log_bind_cb);
}

static void
bk_device_log_view_init (BkDeviceLogView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
