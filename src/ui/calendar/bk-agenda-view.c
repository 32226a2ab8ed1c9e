/* bk-agenda-view.c: the coming occurrences, a list grouped by day
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkAgendaView"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bk-agenda-view.h"
#include "bk-calendar-util.h"
#include "bk-day-layout.h"

/* ------------------------------------------------------------------------
 * BkAgendaRow: one row of the list: a day's heading or a booking
 */

#define BK_TYPE_AGENDA_ROW (bk_agenda_row_get_type ())
G_DECLARE_FINAL_TYPE (BkAgendaRow, bk_agenda_row, BK, AGENDA_ROW, GObject)

struct _BkAgendaRow
{
  GObject         parent_instance;

  char           *heading;      /* a day's heading, or NULL for a booking */
  char           *times;
  char           *description;
  BkCalendarItem *item;         /* owned by the view's items */
};

G_DEFINE_FINAL_TYPE (BkAgendaRow, bk_agenda_row, G_TYPE_OBJECT)

static void
bk_agenda_row_finalize (GObject *object)
{
  BkAgendaRow *self = BK_AGENDA_ROW (object);

  g_free (self->heading);
  g_free (self->times);
  g_free (self->description);
  G_OBJECT_CLASS (bk_agenda_row_parent_class)->finalize (object);
}

static void
bk_agenda_row_class_init (BkAgendaRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bk_agenda_row_finalize;
}

static void
bk_agenda_row_init (BkAgendaRow *self)
{
}

/* ------------------------------------------------------------------------
 * BkAgendaView
 */

enum {
  SIGNAL_OPEN_BOOKING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _BkAgendaView
{
  GtkWidget   parent_instance;

  GtkWidget  *stack;
  GtkWidget  *list;
  GtkWidget  *empty;
  GListStore *rows;
  GTimeZone  *tz;
  GPtrArray  *items;
  guint       n_bookings;
};

G_DEFINE_FINAL_TYPE (BkAgendaView, bk_agenda_view, GTK_TYPE_WIDGET)

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *times = gtk_label_new (NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *bridge = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (dot, "bk-cal-dot");
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (times, "numeric");
  gtk_label_set_xalign (GTK_LABEL (times), 0);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (bridge), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (bridge, "dim-label");

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), times);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), bridge);
  gtk_widget_add_css_class (box, "bk-cal-agenda-row");
  gtk_list_item_set_child (list_item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  BkAgendaRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *heading = gtk_widget_get_first_child (box);
  GtkWidget *dot = gtk_widget_get_next_sibling (heading);
  GtkWidget *times = gtk_widget_get_next_sibling (dot);
  GtkWidget *title = gtk_widget_get_next_sibling (times);
  GtkWidget *bridge = gtk_widget_get_next_sibling (title);
  gboolean is_heading = row->heading != NULL;

  gtk_widget_set_visible (heading, is_heading);
  gtk_widget_set_visible (dot, !is_heading);
  gtk_widget_set_visible (times, !is_heading);
  gtk_widget_set_visible (title, !is_heading);
  gtk_widget_set_visible (bridge, !is_heading && row->item->bridge_name[0] != '\0');
  gtk_list_item_set_activatable (list_item, !is_heading);
  gtk_list_item_set_selectable (list_item, !is_heading);
  if (is_heading)
    {
      gtk_label_set_text (GTK_LABEL (heading), row->heading);
      gtk_widget_add_css_class (box, "bk-cal-agenda-heading");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (times), row->times);
      gtk_label_set_text (GTK_LABEL (title), row->item->title);
      gtk_label_set_text (GTK_LABEL (bridge), row->item->bridge_name);
      bk_calendar_set_color_class (dot, row->item->color);
      gtk_widget_remove_css_class (box, "bk-cal-agenda-heading");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  is_heading ? row->heading : row->description, -1);
}

static void
activate_cb (GtkListView  *list,
             guint         position,
             BkAgendaView *self)
{
  g_autoptr(BkAgendaRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  g_autoptr(GDateTime) start = NULL;

  if (row == NULL || row->heading != NULL)
    return;
  start = bk_calendar_date_time (self->tz, row->item->start);
  g_signal_emit (self, signals[SIGNAL_OPEN_BOOKING], 0, row->item->uid, start);
}

static void
bk_agenda_view_dispose (GObject *object)
{
  BkAgendaView *self = BK_AGENDA_VIEW (object);

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  G_OBJECT_CLASS (bk_agenda_view_parent_class)->dispose (object);
}

static void
bk_agenda_view_finalize (GObject *object)
{
  BkAgendaView *self = BK_AGENDA_VIEW (object);

  g_clear_object (&self->rows);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  G_OBJECT_CLASS (bk_agenda_view_parent_class)->finalize (object);
}

static void
bk_agenda_view_class_init (BkAgendaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_agenda_view_dispose;
  object_class->finalize = bk_agenda_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bk-agenda-view");

  signals[SIGNAL_OPEN_BOOKING] =
    g_signal_new ("open-booking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DATE_TIME);
}

static void
bk_agenda_view_init (BkAgendaView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->rows = g_list_store_new (BK_TYPE_AGENDA_ROW);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  self->list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))),
                                  factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list), TRUE);
  gtk_widget_add_css_class (self->list, "bk-cal-agenda");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Coming meetings"), -1);
  g_signal_connect (self->list, "activate", G_CALLBACK (activate_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list);

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "x-office-calendar-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Meetings"));

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "list");
  gtk_stack_add_named (GTK_STACK (self->stack), self->empty, "empty");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
}

GtkWidget *
bk_agenda_view_new (void)
{
  return g_object_new (BK_TYPE_AGENDA_VIEW, NULL);
}

void
bk_agenda_view_set_range (BkAgendaView *self,
                          GTimeZone    *tz,
                          const GDate  *first,
                          GPtrArray    *items)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  GDate last = *first;
  GDate shown;

  g_return_if_fail (BK_IS_AGENDA_VIEW (self));
  g_return_if_fail (tz != NULL && g_date_valid (first) && items != NULL);

  g_clear_pointer (&self->tz, g_time_zone_unref);
  self->tz = g_time_zone_ref (tz);
  g_ptr_array_ref (items);

  g_date_clear (&shown, 1);
  self->n_bookings = 0;
  for (guint i = 0; i < items->len; i++)
    {
      BkCalendarItem *item = g_ptr_array_index (items, i);
      BkAgendaRow *row;
      GDate date;

      /* A meeting that started before the first day is listed on it. */
      bk_day_date_of (tz, item->start, &date);
      if (g_date_compare (&date, first) < 0)
        date = *first;
      if (!g_date_valid (&shown) || g_date_compare (&date, &shown) != 0)
        {
          row = g_object_new (BK_TYPE_AGENDA_ROW, NULL);
          row->heading = bk_calendar_format_day_long (&date);
          g_ptr_array_add (rows, row);
          shown = date;
        }
      row = g_object_new (BK_TYPE_AGENDA_ROW, NULL);
      row->item = item;
      row->times = bk_calendar_format_times (tz, item->start, item->end);
      row->description = bk_calendar_describe_item (tz, item);
      g_ptr_array_add (rows, row);
      self->n_bookings++;
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;

  if (self->n_bookings == 0)
    {
      g_autofree char *from = bk_calendar_format_day_long (first);
      g_autofree char *to = NULL;
      g_autofree char *text = NULL;

      g_date_add_days (&last, BK_AGENDA_VIEW_N_DAYS - 1);
      to = bk_calendar_format_day_long (&last);
      text = g_strdup_printf (_("Nothing is booked from %1$s to %2$s. Drag over free time in the week view, "
                                "or use New Booking, to book a meeting."), from, to);
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty), text);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

GListModel *
bk_agenda_view_get_model (BkAgendaView *self)
{
  g_return_val_if_fail (BK_IS_AGENDA_VIEW (self), NULL);

  return G_LIST_MODEL (self->rows);
}

guint
bk_agenda_view_get_n_bookings (BkAgendaView *self)
{
  g_return_val_if_fail (BK_IS_AGENDA_VIEW (self), 0);

  return self->n_bookings;
}

GtkWidget *
bk_agenda_view_get_list (BkAgendaView *self)
{
  g_return_val_if_fail (BK_IS_AGENDA_VIEW (self), NULL);

  return self->list;
}
