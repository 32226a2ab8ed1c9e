/* bk-onboarding-window.c: the guided Add Bridge assistant
 *
 * One page per BkOnboarding step. Every step runs asynchronously with the
 * window's GCancellable; the header's Next button starts the step of the
 * page shown, and a step that succeeds moves on (the cluster check and the
 * reservation start by themselves). Errors are shown under the form as the
 * sentence the core gives, and the field at fault gets the "error" style.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkOnboardingWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-application.h"
#include "bk-certificate-ui.h"
#include "bk-onboarding-window.h"
#include "bk-validate.h"

/* How many slots the preview lists before "…" and the last one. */
#define PREVIEW_HEAD 3

struct _BkOnboardingWindow
{
  AdwWindow          parent_instance;

  BkDeviceStore     *store;
  BkSecrets         *secrets;
  BkOnboarding      *onboarding;
  BkDevice          *resume_device;
  GCancellable      *cancellable;
  GPtrArray         *members;          /* BkClusterMember*, owned */
  GPtrArray         *alternate_ids;    /* char*, parallel to the combo: [0] = "" (None) */
  char              *address_text;
  gboolean           busy;
  gboolean           discovered;
  gboolean           reserved;
  gboolean           finished;

  /* Template widgets */
  AdwWindowTitle    *window_title;
  GtkButton         *cancel_button;
  GtkButton         *back_button;
  GtkButton         *next_button;
  GtkStack          *stack;
  AdwEntryRow       *address_row;
  AdwEntryRow       *username_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel          *address_hint;
  GtkWidget         *connect_progress;
  GtkSpinner        *connect_spinner;
  GtkLabel          *connect_progress_label;
  GtkLabel          *connect_error;
  AdwActionRow      *product_row;
  GtkWidget         *cluster_progress;
  GtkSpinner        *cluster_spinner;
  GtkLabel          *cluster_progress_label;
  AdwPreferencesGroup *members_group;
  GtkListBox        *members_list;
  GtkLabel          *cluster_error;
  AdwEntryRow       *name_row;
  GtkLabel          *name_error;
  AdwEntryRow       *domain_row;
  GtkSpinButton     *base_spin;
  GtkSpinButton     *quantity_spin;
  GtkLabel          *range_error;
  GtkListBox        *preview_list;
  GtkWidget         *range_progress;
  GtkSpinner        *range_spinner;
  AdwPreferencesGroup *collisions_group;
  GtkListBox        *collisions_list;
  AdwStatusPage     *reserve_page;
  GtkProgressBar    *reserve_bar;
  GtkLabel          *reserve_label;
  GtkLabel          *reserve_error;
  GtkButton         *retry_button;
  AdwComboRow       *alternate_row;
  AdwEntryRow       *alt_username_row;
  AdwPasswordEntryRow *alt_password_row;
  GtkLabel          *failover_hint;
  GtkWidget         *finish_progress;
  GtkSpinner        *finish_spinner;
  GtkLabel          *finish_label;
  GtkLabel          *failover_error;
};

G_DEFINE_FINAL_TYPE (BkOnboardingWindow, bk_onboarding_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *page_order[] = { "connect", "cluster", "name", "range", "reserve", "failover" };

static void bk_onboarding_window_start_connect  (BkOnboardingWindow *self);
static void bk_onboarding_window_start_discover (BkOnboardingWindow *self);
static void bk_onboarding_window_start_reserve  (BkOnboardingWindow *self);
static void update_failover_hint                 (BkOnboardingWindow *self);

static guint
page_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_order); i++)
    if (g_strcmp0 (page_order[i], name) == 0)
      return i;
  return 0;
}

static void
show_message (GtkLabel   *label,
              const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
set_row_error (gpointer row,
               gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
remove_all_rows (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
new_info_row (const char *title,
              const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static const char *
current_page (BkOnboardingWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

static void
update_buttons (BkOnboardingWindow *self)
{
  const char *page = current_page (self);
  guint index = page_index (page);
  g_autofree char *step = NULL;
  const char *next_label = _("_Next");
  gboolean next_ok = FALSE;
  gboolean back_ok = FALSE;

  if (g_str_equal (page, "connect"))
    {
      const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
      const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
      const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

      next_label = _("_Connect");
      next_ok = *address != '\0' && *username != '\0' &&
                (*password != '\0' || self->resume_device != NULL);
    }
  else if (g_str_equal (page, "cluster"))
    {
      next_ok = self->discovered;
      /* Once discovered, the bridge is in the list: connecting again to
       * the same address would be refused as a duplicate. */
      back_ok = !self->discovered;
    }
  else if (g_str_equal (page, "name"))
    {
      next_ok = *gtk_editable_get_text (GTK_EDITABLE (self->name_row)) != '\0';
      back_ok = TRUE;
    }
  else if (g_str_equal (page, "range"))
    {
      next_label = _("_Reserve Spaces");
      next_ok = *gtk_editable_get_text (GTK_EDITABLE (self->domain_row)) != '\0';
      back_ok = TRUE;
    }
  else if (g_str_equal (page, "reserve"))
    {
      next_ok = self->reserved;
      back_ok = !self->reserved;
    }
  else if (g_str_equal (page, "failover"))
    {
      next_label = _("_Finish");
      next_ok = TRUE;
    }

  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), next_ok && !self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), back_ok);
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !self->busy);

  /* Translators: the assistant's subtitle, e.g. "Step 2 of 6". */
  step = g_strdup_printf (_("Step %u of %u"), index + 1, (guint) G_N_ELEMENTS (page_order));
  adw_window_title_set_subtitle (self->window_title, step);
}

static void
set_busy (BkOnboardingWindow *self,
          gboolean            busy)
{
  self->busy = busy;
  update_buttons (self);
}

static void
show_page (BkOnboardingWindow *self,
           const char         *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  update_buttons (self);

  if (g_str_equal (name, "name"))
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  else if (g_str_equal (name, "range"))
    gtk_widget_grab_focus (GTK_WIDGET (self->domain_row));
  else if (g_str_equal (name, "connect"))
    gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
  else if (g_str_equal (name, "failover"))
    update_failover_hint (self);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* 1. Connect ------------------------------------------------------------ */

static void
connect_form_changed_cb (BkOnboardingWindow *self)
{
  set_row_error (self->address_row, FALSE);
  set_row_error (self->username_row, FALSE);
  set_row_error (self->password_row, FALSE);
  show_message (self->connect_error, NULL);
  update_buttons (self);
}

static void
connect_stop_progress (BkOnboardingWindow *self)
{
  gtk_spinner_stop (self->connect_spinner);
  gtk_widget_set_visible (self->connect_progress, FALSE);
  set_busy (self, FALSE);
}

static void
trust_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   BkOnboardingWindow *self)
{
  const char *sha256 = g_object_get_data (G_OBJECT (dialog), "bk-sha256");

  if (g_strcmp0 (response, "trust") == 0 && sha256 != NULL)
    {
      bk_onboarding_trust_certificate (self->onboarding, sha256);
      bk_onboarding_window_start_connect (self);
    }
  else
    {
      show_message (self->connect_error,
                    _("The certificate was not trusted, so Bridgekeeper did not connect. "
                      "Check the address, or trust the certificate after comparing its fingerprint."));
    }
  g_object_unref (self);
}

static void
connect_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BkOnboardingWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *version;
  g_autofree char *subtitle = NULL;

  if (!bk_onboarding_connect_finish (BK_ONBOARDING (source), result, &error))
    {
      if (is_cancelled (error))
        return;

      connect_stop_progress (self);

      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED))
        {
          AdwMessageDialog *dialog = bk_trust_dialog_new (GTK_WINDOW (self), self->address_text, error);

          g_object_set_data_full (G_OBJECT (dialog), "bk-sha256",
                                  g_strdup (bk_cms_error_get_peer_sha256 (error)), g_free);
          g_signal_connect (dialog, "response", G_CALLBACK (trust_response_cb), g_object_ref (self));
          gtk_window_present (GTK_WINDOW (dialog));
          return;
        }

      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN))
        {
          set_row_error (self->username_row, TRUE);
          set_row_error (self->password_row, TRUE);
        }
      else if (g_error_matches (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT) &&
               self->resume_device != NULL &&
               *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
        {
          /* Resuming without a stored password: the sentence asks for it. */
          set_row_error (self->password_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
      else if (error->domain == BK_ONBOARDING_ERROR ||
               g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNREACHABLE) ||
               g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH))
        {
          set_row_error (self->address_row, TRUE);
        }
      show_message (self->connect_error, error->message);
      return;
    }

  connect_stop_progress (self);

  version = bk_onboarding_get_software_version (self->onboarding);
  if (version != NULL && *version != '\0')
    /* Translators: %s is the bridge's software version, e.g. 3.8.1. */
    subtitle = g_strdup_printf (_("Software version %s, at %s"), version, self->address_text);
  else
    subtitle = g_strdup_printf (_("At %s"), self->address_text);
  adw_action_row_set_subtitle (self->product_row, subtitle);

  show_page (self, "cluster");
  bk_onboarding_window_start_discover (self);
}

static void
bk_onboarding_window_start_connect (BkOnboardingWindow *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *label = NULL;

  label = g_strdup_printf (_("Connecting to %s…"), self->address_text);
  gtk_label_set_text (self->connect_progress_label, label);
  gtk_widget_set_visible (self->connect_progress, TRUE);
  gtk_spinner_start (self->connect_spinner);
  show_message (self->connect_error, NULL);
  set_busy (self, TRUE);

  bk_onboarding_connect_async (self->onboarding,
                               self->address_text,
                               gtk_editable_get_text (GTK_EDITABLE (self->username_row)),
                               *password != '\0' ? password : NULL,
                               self->cancellable,
                               connect_done_cb,
                               g_object_ref (self));
}

static void
connect_next (BkOnboardingWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));

  /* Say what is wrong with the address at once, without a request. */
  if (!bk_validate_address (text, NULL, NULL, &error))
    {
      set_row_error (self->address_row, TRUE);
      show_message (self->connect_error, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }

  g_free (self->address_text);
  self->address_text = g_strstrip (g_strdup (text));
  bk_onboarding_window_start_connect (self);
}

/* 2. Cluster ------------------------------------------------------------ */

static gboolean
member_is_primary (BkOnboardingWindow    *self,
                   const BkClusterMember *member)
{
  BkDevice *device = bk_onboarding_get_device (self->onboarding);
  g_autofree char *host = NULL;
  g_autofree char *port_text = NULL;
  const char *p;
  guint port = BK_DEFAULT_PORT;

  if (device == NULL)
    return FALSE;

  host = bk_cluster_member_dup_host (member);
  if (host == NULL || g_strcmp0 (host, bk_device_get_address (device)) != 0)
    return FALSE;

  /* Same host: several nodes may share one (loopback, NAT); the port
   * decides when the member's address names one. */
  p = strrchr (member->address, ':');
  if (p != NULL && g_ascii_isdigit (p[1]) && strchr (p, ']') == NULL && p > member->address + 6)
    port = (guint) g_ascii_strtoull (p + 1, NULL, 10);

  return port == bk_device_get_port (device);
}

static void
fill_members (BkOnboardingWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  BkDevice *device = bk_onboarding_get_device (self->onboarding);
  const char *alternate_id = device != NULL ? bk_device_get_alternate_member_id (device) : "";
  guint selected = 0;

  remove_all_rows (self->members_list);
  g_ptr_array_set_size (self->alternate_ids, 0);

  gtk_string_list_append (names, _("None"));
  g_ptr_array_add (self->alternate_ids, g_strdup (""));

  for (guint i = 0; i < self->members->len; i++)
    {
      const BkClusterMember *member = g_ptr_array_index (self->members, i);
      const char *name = *member->name != '\0' ? member->name : member->id;
      gboolean primary = member_is_primary (self, member);
      GtkWidget *row = new_info_row (name, member->address);

      if (primary)
        {
          GtkWidget *tag = gtk_label_new (_("This bridge"));

          gtk_widget_add_css_class (tag, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
        }
      gtk_list_box_append (self->members_list, row);

      if (!primary)
        {
          g_autofree char *label = NULL;

          if (*member->address != '\0')
            label = g_strdup_printf ("%s (%s)", name, member->address);
          else
            label = g_strdup (name);
          gtk_string_list_append (names, label);
          g_ptr_array_add (self->alternate_ids, g_strdup (member->id));
          if (g_strcmp0 (member->id, alternate_id) == 0)
            selected = self->alternate_ids->len - 1;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->members_group), self->members->len > 0);
  adw_combo_row_set_model (self->alternate_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->alternate_row, selected);
}

static void
discover_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BkOnboardingWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  BkDevice *device;

  members = bk_onboarding_discover_finish (BK_ONBOARDING (source), result, &error);
  if (is_cancelled (error))
    return;

  gtk_spinner_stop (self->cluster_spinner);
  gtk_widget_set_visible (self->cluster_progress, FALSE);

  if (members == NULL)
    {
      show_message (self->cluster_error, error->message);
      set_busy (self, FALSE);
      return;
    }

  g_ptr_array_set_size (self->members, 0);
  for (guint i = 0; i < members->len; i++)
    g_ptr_array_add (self->members, bk_cluster_member_copy (g_ptr_array_index (members, i)));
  fill_members (self);

  /* What the next pages start from (a resumed device has them). */
  device = bk_onboarding_get_device (self->onboarding);
  if (device != NULL)
    {
      if (*gtk_editable_get_text (GTK_EDITABLE (self->name_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->name_row), bk_device_get_name (device));
      if (*bk_device_get_domain (device) != '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->domain_row), bk_device_get_domain (device));
      if (bk_device_get_numeric_id_base (device) > 0)
        gtk_spin_button_set_value (self->base_spin, bk_device_get_numeric_id_base (device));
      if (bk_device_get_numeric_id_quantity (device) > 0)
        gtk_spin_button_set_value (self->quantity_spin, bk_device_get_numeric_id_quantity (device));
      /* The alternate's own user only: never the primary's in disguise
       * (empty says "the primary's", and the hint says so). */
      if (g_strcmp0 (bk_device_get_alternate_username (device), bk_device_get_username (device)) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->alt_username_row), bk_device_get_alternate_username (device));
    }

  self->discovered = TRUE;
  set_busy (self, FALSE);
}

static void
bk_onboarding_window_start_discover (BkOnboardingWindow *self)
{
  show_message (self->cluster_error, NULL);
  gtk_widget_set_visible (self->cluster_progress, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->members_group), FALSE);
  gtk_spinner_start (self->cluster_spinner);
  self->discovered = FALSE;
  set_busy (self, TRUE);

  bk_onboarding_discover_async (self->onboarding, self->cancellable,
                                discover_done_cb, g_object_ref (self));
}

/* 3. Name --------------------------------------------------------------- */

static void
name_changed_cb (BkOnboardingWindow *self)
{
  set_row_error (self->name_row, FALSE);
  show_message (self->name_error, NULL);
  update_buttons (self);
}

static void
name_next (BkOnboardingWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (!bk_onboarding_set_name (self->onboarding, name, &error))
    {
      set_row_error (self->name_row, TRUE);
      show_message (self->name_error, error->message);
      return;
    }

  show_page (self, "range");
}

/* 4. Range -------------------------------------------------------------- */

static void
add_preview_row (BkOnboardingWindow *self,
                 guint64             number,
                 const char         *domain)
{
  g_autofree char *name = bk_slot_name_for_number (number);
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, number);
  g_autofree char *uri = g_strdup_printf ("%s@%s", id, domain);
  /* Translators: the meeting space's URI and its numeric call ID. */
  g_autofree char *subtitle = g_strdup_printf (_("%s, call ID %s"), uri, id);
  GtkWidget *row = new_info_row (name, subtitle);

  gtk_list_box_append (self->preview_list, row);
}

static gboolean
range_validate (BkOnboardingWindow *self,
                gboolean            show_empty)
{
  const char *domain = gtk_editable_get_text (GTK_EDITABLE (self->domain_row));
  guint64 base = (guint64) gtk_spin_button_get_value (self->base_spin);
  guint64 quantity = (guint64) gtk_spin_button_get_value (self->quantity_spin);
  g_autoptr(GError) error = NULL;
  const char *shown_domain;
  guint64 n_head;

  set_row_error (self->domain_row, FALSE);
  set_row_error (gtk_widget_get_ancestor (GTK_WIDGET (self->base_spin), ADW_TYPE_ACTION_ROW), FALSE);
  show_message (self->range_error, NULL);

  if ((*domain != '\0' || show_empty) && !bk_validate_domain (domain, &error))
    {
      set_row_error (self->domain_row, TRUE);
      show_message (self->range_error, error->message);
    }
  else if (!bk_validate_numeric_range (base, quantity, &error))
    {
      set_row_error (gtk_widget_get_ancestor (GTK_WIDGET (self->base_spin), ADW_TYPE_ACTION_ROW), TRUE);
      show_message (self->range_error, error->message);
    }

  /* The live preview: the first few slots and the last one. */
  remove_all_rows (self->preview_list);
  shown_domain = *domain != '\0' ? domain : _("domain");
  /* A "…" row stands for two slots at least. */
  n_head = quantity <= PREVIEW_HEAD + 2 ? quantity : PREVIEW_HEAD;
  for (guint64 i = 0; i < n_head; i++)
    add_preview_row (self, base + i, shown_domain);
  if (quantity > n_head)
    {
      /* At most BK_NUMERIC_ID_QUANTITY_MAX: a guint. */
      guint hidden = (guint) (quantity - n_head - 1);
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "and %u more",
                                                            "and %u more",
                                                            hidden),
                                               hidden);

      gtk_list_box_append (self->preview_list, new_info_row ("…", more));
      add_preview_row (self, base + quantity - 1, shown_domain);
    }

  return error == NULL;
}

static void
range_changed_cb (BkOnboardingWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->collisions_group), FALSE);
  range_validate (self, FALSE);
  update_buttons (self);
}

static void
check_range_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BkOnboardingWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) collisions = NULL;

  collisions = bk_onboarding_check_range_finish (BK_ONBOARDING (source), result, &error);
  if (is_cancelled (error))
    return;

  gtk_spinner_stop (self->range_spinner);
  gtk_widget_set_visible (self->range_progress, FALSE);
  set_busy (self, FALSE);

  if (collisions == NULL)
    {
      if (g_error_matches (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT))
        set_row_error (self->domain_row, TRUE);
      show_message (self->range_error, error->message);
      return;
    }

  if (collisions->len > 0)
    {
      remove_all_rows (self->collisions_list);
      for (guint i = 0; i < collisions->len; i++)
        {
          const BkSlotCollision *c = g_ptr_array_index (collisions, i);
          g_autofree char *subtitle = NULL;
          g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, c->number);

          /* Translators: a meeting space that uses a number of the range:
           * its URI, call ID, and the number it collides with. */
          subtitle = g_strdup_printf (_("URI %s, call ID %s: uses number %s"),
                                      c->uri != NULL ? c->uri : "—",
                                      c->call_id != NULL ? c->call_id : "—",
                                      number);
          gtk_list_box_append (self->collisions_list,
                               new_info_row (c->name != NULL && *c->name != '\0' ? c->name : c->space_id,
                                             subtitle));
        }
      gtk_widget_set_visible (GTK_WIDGET (self->collisions_group), TRUE);
      show_message (self->range_error,
                    _("Nothing was created: choose a range that no meeting space uses yet."));
      return;
    }

  show_page (self, "reserve");
  bk_onboarding_window_start_reserve (self);
}

static void
range_next (BkOnboardingWindow *self)
{
  if (!range_validate (self, TRUE))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->collisions_group), FALSE);
  gtk_widget_set_visible (self->range_progress, TRUE);
  gtk_spinner_start (self->range_spinner);
  set_busy (self, TRUE);

  bk_onboarding_check_range_async (self->onboarding,
                                   gtk_editable_get_text (GTK_EDITABLE (self->domain_row)),
                                   (guint64) gtk_spin_button_get_value (self->base_spin),
                                   (guint) gtk_spin_button_get_value (self->quantity_spin),
                                   self->cancellable,
                                   check_range_done_cb,
                                   g_object_ref (self));
}

/* 5. Reserve ------------------------------------------------------------ */

static void
progress_changed_cb (BkOnboardingWindow *self)
{
  double progress = bk_onboarding_get_progress (self->onboarding);
  const char *text = bk_onboarding_get_progress_text (self->onboarding);

  if (!g_str_equal (current_page (self), "reserve") || self->reserved)
    return;

  if (progress < 0)
    gtk_progress_bar_pulse (self->reserve_bar);
  else
    gtk_progress_bar_set_fraction (self->reserve_bar, CLAMP (progress, 0.0, 1.0));
  if (text != NULL)
    gtk_label_set_text (self->reserve_label, text);
}

static void
reserve_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BkOnboardingWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_onboarding_reserve_finish (BK_ONBOARDING (source), result, &error))
    {
      if (is_cancelled (error))
        return;

      adw_status_page_set_title (self->reserve_page, _("Meeting Spaces Not Reserved"));
      adw_status_page_set_icon_name (self->reserve_page, "dialog-warning-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->reserve_bar), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->reserve_label), FALSE);
      show_message (self->reserve_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
      set_busy (self, FALSE);
      return;
    }

  self->reserved = TRUE;
  gtk_progress_bar_set_fraction (self->reserve_bar, 1.0);
  adw_status_page_set_title (self->reserve_page, _("Meeting Spaces Reserved"));
  adw_status_page_set_icon_name (self->reserve_page, "emblem-ok-symbolic");
  gtk_label_set_text (self->reserve_label, bk_onboarding_get_progress_text (self->onboarding));
  set_busy (self, FALSE);

  show_page (self, "failover");
}

static void
bk_onboarding_window_start_reserve (BkOnboardingWindow *self)
{
  adw_status_page_set_title (self->reserve_page, _("Reserving Meeting Spaces"));
  adw_status_page_set_icon_name (self->reserve_page, "x-office-calendar-symbolic");
  gtk_progress_bar_set_fraction (self->reserve_bar, 0.0);
  gtk_label_set_text (self->reserve_label, _("Creating the call profiles…"));
  gtk_widget_set_visible (GTK_WIDGET (self->reserve_bar), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->reserve_label), TRUE);
  show_message (self->reserve_error, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  self->reserved = FALSE;
  set_busy (self, TRUE);

  bk_onboarding_reserve_async (self->onboarding, self->cancellable,
                               reserve_done_cb, g_object_ref (self));
}

static void
retry_clicked_cb (BkOnboardingWindow *self)
{
  if (!self->busy)
    bk_onboarding_window_start_reserve (self);
}

/* 6. Failover and finish ------------------------------------------------ */

static void failover_next (BkOnboardingWindow *self);

static void
update_failover_hint (BkOnboardingWindow *self)
{
  BkDevice *device = bk_onboarding_get_device (self->onboarding);
  g_autofree char *hint = NULL;

  if (device == NULL || *bk_device_get_username (device) == '\0')
    return;
  /* TRANSLATORS: %s is the API user name of the primary, e.g. "admin". */
  hint = g_strdup_printf (_("Every call bridge of a cluster has its own certificate and can have its own "
                            "API user. Left empty, Bridgekeeper signs in to the alternate as “%s”, with "
                            "the same password as this bridge; the alternate is checked before the set-up "
                            "finishes."),
                          bk_device_get_username (device));
  gtk_label_set_text (self->failover_hint, hint);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->alt_username_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, hint, -1);
}

static void
alternate_form_changed_cb (BkOnboardingWindow *self)
{
  set_row_error (self->alternate_row, FALSE);
  set_row_error (self->alt_username_row, FALSE);
  set_row_error (self->alt_password_row, FALSE);
  show_message (self->failover_error, NULL);
}

static void
alternate_changed_cb (BkOnboardingWindow *self)
{
  gboolean none = adw_combo_row_get_selected (self->alternate_row) == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->alt_username_row), !none);
  gtk_widget_set_sensitive (GTK_WIDGET (self->alt_password_row), !none);
  alternate_form_changed_cb (self);
}

static void
failover_stop_progress (BkOnboardingWindow *self)
{
  gtk_spinner_stop (self->finish_spinner);
  gtk_widget_set_visible (self->finish_progress, FALSE);
  set_busy (self, FALSE);
}

/* The chosen alternate's name and address. */
static void
alternate_names (BkOnboardingWindow  *self,
                 const char         **name,
                 const char         **address)
{
  BkDevice *device = bk_onboarding_get_device (self->onboarding);
  const BkClusterMember *member;

  *name = NULL;
  *address = device != NULL ? bk_device_get_alternate_address (device) : "";
  member = device != NULL ? bk_device_find_cluster_member (device, bk_device_get_alternate_member_id (device)) : NULL;
  if (member != NULL && *member->name != '\0')
    *name = member->name;
}

static void
finish_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BkOnboardingWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  BkDevice *device;

  if (!bk_onboarding_finish_finish (BK_ONBOARDING (source), result, &error))
    {
      if (is_cancelled (error))
        return;

      failover_stop_progress (self);
      show_message (self->failover_error, error->message);
      return;
    }

  self->finished = TRUE;
  device = bk_onboarding_get_device (self->onboarding);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, device);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_finish (BkOnboardingWindow *self)
{
  gtk_label_set_text (self->finish_label, _("Saving the bridge and its passwords…"));
  bk_onboarding_finish_async (self->onboarding, self->cancellable,
                              finish_done_cb, g_object_ref (self));
}

static void
alternate_trust_response_cb (AdwMessageDialog   *dialog,
                             const char         *response,
                             BkOnboardingWindow *self)
{
  const char *sha256 = g_object_get_data (G_OBJECT (dialog), "bk-sha256");

  if (g_strcmp0 (response, "trust") == 0 && sha256 != NULL)
    {
      bk_onboarding_trust_alternate_certificate (self->onboarding, sha256);
      failover_next (self);
    }
  else
    {
      const char *name = NULL;
      const char *address = NULL;
      g_autofree char *text = NULL;

      alternate_names (self, &name, &address);
      /* TRANSLATORS: %s is a call bridge's name or address. */
      text = g_strdup_printf (_("The certificate of %s was not trusted, so it cannot be the alternate. "
                                "Trust it after comparing its fingerprint, or choose None or another call bridge."),
                              name != NULL ? name : address);
      set_row_error (self->alternate_row, TRUE);
      show_message (self->failover_error, text);
    }
  g_object_unref (self);
}

static void
check_alternate_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(BkOnboardingWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (bk_onboarding_check_alternate_finish (BK_ONBOARDING (source), result, &error))
    {
      start_finish (self);
      return;
    }
  if (is_cancelled (error))
    return;

  failover_stop_progress (self);

  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED))
    {
      /* That node's own certificate: the same question as for the
       * primary, naming the node. */
      const char *name = NULL;
      const char *address = NULL;
      AdwMessageDialog *dialog;

      alternate_names (self, &name, &address);
      dialog = bk_trust_dialog_new_for_node (GTK_WINDOW (self), name, address, error);
      g_object_set_data_full (G_OBJECT (dialog), "bk-sha256",
                              g_strdup (bk_cms_error_get_peer_sha256 (error)), g_free);
      g_signal_connect (dialog, "response", G_CALLBACK (alternate_trust_response_cb), g_object_ref (self));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN))
    {
      set_row_error (self->alt_username_row, TRUE);
      set_row_error (self->alt_password_row, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->alt_username_row));
    }
  else
    set_row_error (self->alternate_row, TRUE);
  show_message (self->failover_error, error->message);
}

static void
failover_next (BkOnboardingWindow *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->alternate_row);
  const char *member_id = NULL;
  const char *username = NULL;
  const char *password = NULL;

  if (selected != GTK_INVALID_LIST_POSITION && selected < self->alternate_ids->len)
    member_id = g_ptr_array_index (self->alternate_ids, selected);

  if (member_id != NULL && *member_id != '\0')
    {
      /* What was entered for the alternate, as it is: empty means the
       * primary's (the hint says so), anything else is the alternate's own. */
      username = gtk_editable_get_text (GTK_EDITABLE (self->alt_username_row));
      password = gtk_editable_get_text (GTK_EDITABLE (self->alt_password_row));
    }

  if (!bk_onboarding_set_alternate (self->onboarding, member_id, username, password, &error))
    {
      if (g_error_matches (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT) &&
          username != NULL && (*username == '\0') != (*password == '\0'))
        set_row_error (*username == '\0' ? (gpointer) self->alt_username_row : (gpointer) self->alt_password_row, TRUE);
      else
        set_row_error (self->alternate_row, TRUE);
      show_message (self->failover_error, error->message);
      return;
    }
  alternate_form_changed_cb (self);

  gtk_widget_set_visible (self->finish_progress, TRUE);
  gtk_spinner_start (self->finish_spinner);
  set_busy (self, TRUE);

  if (member_id != NULL && *member_id != '\0')
    {
      const char *name = NULL;
      const char *address = NULL;
      g_autofree char *text = NULL;

      alternate_names (self, &name, &address);
      /* TRANSLATORS: %s is a call bridge's name or address. */
      text = g_strdup_printf (_("Checking %s with its own certificate and user…"), name != NULL ? name : address);
      gtk_label_set_text (self->finish_label, text);
      bk_onboarding_check_alternate_async (self->onboarding, self->cancellable,
                                           check_alternate_done_cb, g_object_ref (self));
      return;
    }
  start_finish (self);
}

/* Header buttons ---------------------------------------------------------- */

static void
next_clicked_cb (BkOnboardingWindow *self)
{
  const char *page = current_page (self);

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->next_button)))
    return;

  if (g_str_equal (page, "connect"))
    connect_next (self);
  else if (g_str_equal (page, "cluster"))
    show_page (self, "name");
  else if (g_str_equal (page, "name"))
    name_next (self);
  else if (g_str_equal (page, "range"))
    range_next (self);
  else if (g_str_equal (page, "reserve"))
    show_page (self, "failover");
  else if (g_str_equal (page, "failover"))
    failover_next (self);
}

static void
back_clicked_cb (BkOnboardingWindow *self)
{
  guint index = page_index (current_page (self));

  if (self->busy || index == 0)
    return;

  show_page (self, page_order[index - 1]);
}

static void
cancel_clicked_cb (BkOnboardingWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
bk_onboarding_window_close_request (GtkWindow *window)
{
  BkOnboardingWindow *self = BK_ONBOARDING_WINDOW (window);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (bk_onboarding_window_parent_class)->close_request (window);
}

static void
bk_onboarding_window_dispose (GObject *object)
{
  BkOnboardingWindow *self = BK_ONBOARDING_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->onboarding != NULL)
    g_signal_handlers_disconnect_by_data (self->onboarding, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_ONBOARDING_WINDOW);

  G_OBJECT_CLASS (bk_onboarding_window_parent_class)->dispose (object);
}

static void
bk_onboarding_window_finalize (GObject *object)
{
  BkOnboardingWindow *self = BK_ONBOARDING_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->onboarding);
  g_clear_object (&self->resume_device);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->alternate_ids, g_ptr_array_unref);
  g_clear_pointer (&self->address_text, g_free);

  G_OBJECT_CLASS (bk_onboarding_window_parent_class)->finalize (object);
}

static void
bk_onboarding_window_class_init (BkOnboardingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bk_onboarding_window_dispose;
  object_class->finalize = bk_onboarding_window_finalize;
  window_class->close_request = bk_onboarding_window_close_request;

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BK_TYPE_DEVICE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/bk-onboarding-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BkOnboardingWindow, name)
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (next_button);
  BIND (stack);
  BIND (address_row);
  BIND (username_row);
  BIND (password_row);
  BIND (address_hint);
  BIND (connect_progress);
  BIND (connect_spinner);
  BIND (connect_progress_label);
  BIND (connect_error);
  BIND (product_row);
  BIND (cluster_progress);
  BIND (cluster_spinner);
  BIND (cluster_progress_label);
  BIND (members_group);
  BIND (members_list);
  BIND (cluster_error);
  BIND (name_row);
  BIND (name_error);
  BIND (domain_row);
  BIND (base_spin);
  BIND (quantity_spin);
  BIND (range_error);
  BIND (preview_list);
  BIND (range_progress);
  BIND (range_spinner);
  BIND (collisions_group);
  BIND (collisions_list);
  BIND (reserve_page);
  BIND (reserve_bar);
  BIND (reserve_label);
  BIND (reserve_error);
  BIND (retry_button);
  BIND (alternate_row);
  BIND (alt_username_row);
  BIND (alt_password_row);
  BIND (failover_hint);
  BIND (finish_progress);
  BIND (finish_spinner);
  BIND (finish_label);
  BIND (failover_error);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, range_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, alternate_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, alternate_form_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bk_onboarding_window_init (BkOnboardingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  self->alternate_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_stack_set_visible_child_name (self->stack, "connect");
  range_validate (self, FALSE);
  alternate_changed_cb (self);
  update_buttons (self);
}

/* While the keyring shows its own prompt (unlock it, or choose the
 * password of a new keyring) for a password being stored or read, the
 * progress lines say so instead of what the step was doing. */
static void
secrets_prompting_cb (BkOnboardingWindow *self)
{
  GtkLabel *labels[] = { self->connect_progress_label, self->cluster_progress_label, self->finish_label };
  gboolean prompting = bk_secrets_is_prompting (self->secrets);

  if (self->connect_progress_label == NULL)
    return;  /* disposed */
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (prompting)
        {
          g_object_set_data_full (G_OBJECT (labels[i]), "bk-text-before-keyring",
                                  g_strdup (gtk_label_get_text (labels[i])), g_free);
          gtk_label_set_text (labels[i], _("Waiting for the keyring: answer its dialog to save the password…"));
        }
      else if (g_object_get_data (G_OBJECT (labels[i]), "bk-text-before-keyring") != NULL)
        {
          gtk_label_set_text (labels[i], g_object_get_data (G_OBJECT (labels[i]), "bk-text-before-keyring"));
          g_object_set_data (G_OBJECT (labels[i]), "bk-text-before-keyring", NULL);
        }
    }
}

static BkOnboardingWindow *
bk_onboarding_window_new_internal (GtkWindow     *parent,
                                   BkDeviceStore *store,
                                   BkSecrets     *secrets,
                                   BkDevice      *device)
{
  BkOnboardingWindow *self;

  self = g_object_new (BK_TYPE_ONBOARDING_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  g_signal_connect_object (secrets, "notify::prompting", G_CALLBACK (secrets_prompting_cb),
                           self, G_CONNECT_SWAPPED);
  if (device != NULL)
    {
      self->resume_device = g_object_ref (device);
      self->onboarding = bk_onboarding_new_resume (store, secrets, device);
    }
  else
    {
      self->onboarding = bk_onboarding_new (store, secrets);
    }

  /* Every request of the onboarding lands in the Logs tab of its bridge. */
  {
    GApplication *app = parent != NULL && gtk_window_get_application (parent) != NULL
                        ? G_APPLICATION (gtk_window_get_application (parent))
                        : g_application_get_default ();
    BkBridgeManager *bridges = BK_IS_APPLICATION (app) ? bk_application_get_bridge_manager (BK_APPLICATION (app)) : NULL;

    if (bridges != NULL && bk_bridge_manager_get_store (bridges) == store)
      bk_bridge_manager_watch_onboarding (bridges, self->onboarding);
  }

  g_signal_connect_swapped (self->onboarding, "notify::progress",
                            G_CALLBACK (progress_changed_cb), self);
  g_signal_connect_swapped (self->onboarding, "notify::progress-text",
                            G_CALLBACK (progress_changed_cb), self);

  return self;
}

BkOnboardingWindow *
bk_onboarding_window_new (GtkWindow     *parent,
                          BkDeviceStore *store,
                          BkSecrets     *secrets)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_SECRETS (secrets), NULL);

  return bk_onboarding_window_new_internal (parent, store, secrets, NULL);
}

BkOnboardingWindow *
bk_onboarding_window_new_resume (GtkWindow     *parent,
                                 BkDeviceStore *store,
                                 BkSecrets     *secrets,
                                 BkDevice      *device)
{
  BkOnboardingWindow *self;
  g_autofree char *address = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (BK_IS_DEVICE (device), NULL);

  self = bk_onboarding_window_new_internal (parent, store, secrets, device);
  gtk_window_set_title (GTK_WINDOW (self), _("Continue Set-Up"));
  adw_window_title_set_title (self->window_title, _("Continue Set-Up"));

  address = bk_format_address (bk_device_get_address (device), bk_device_get_port (device),
                               BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT);
  bk_onboarding_window_set_credentials (self, address, bk_device_get_username (device), NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), bk_device_get_name (device));
  gtk_label_set_text (self->address_hint,
                      _("Leave the password empty to use the one Bridgekeeper stored for this bridge."));
  update_buttons (self);

  return self;
}

void
bk_onboarding_window_set_credentials (BkOnboardingWindow *self,
                                      const char         *address,
                                      const char         *username,
                                      const char         *password)
{
  g_return_if_fail (BK_IS_ONBOARDING_WINDOW (self));

  if (address != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  update_buttons (self);
}

BkOnboarding *
bk_onboarding_window_get_onboarding (BkOnboardingWindow *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING_WINDOW (self), NULL);

  return self->onboarding;
}

const char *
bk_onboarding_window_get_page (BkOnboardingWindow *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING_WINDOW (self), NULL);

  return current_page (self);
}
