/* fuzz-cms-xml.c: libFuzzer target for every CMS XML decoder
 *
 * The first input byte picks the decoder: for kind k (0..BK_CMS_N_KINDS-1),
 * 2k = single object, 2k+1 = collection page; then failureDetails, then the
 * log maskers. The rest of the input is the document. Built with clang
 * -fsanitize=fuzzer,address when -Dfuzzing=true; without libFuzzer the
 * same file builds a replay program (fuzz-replay-main.c) that runs the seed
 * corpus as a normal test.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "bk-cms-error.h"
#include "bk-cms-log.h"
#include "bk-cms-records.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint selector;
  const char *doc;
  gsize len;
  GError *error = NULL;

  if (size < 1)
    return 0;

  selector = data[0] % (2 * BK_CMS_N_KINDS + 3);
  doc = (const char *) data + 1;
  len = size - 1;

  if (selector < 2 * BK_CMS_N_KINDS)
    {
      BkCmsKind kind = selector / 2;

      if (selector % 2 == 0)
        {
          gpointer record = bk_cms_record_decode (kind, doc, len, &error);

          g_assert ((record == NULL) == (error != NULL));
          if (record != NULL)
            {
              /* copy and free must handle whatever was decoded */
              gpointer copy = g_boxed_copy (bk_cms_kind_get_record_type (kind), record);

              g_boxed_free (bk_cms_kind_get_record_type (kind), copy);
              bk_cms_kind_get_free_func (kind) (record);
            }
        }
      else if (bk_cms_kind_get_list_element (kind) != NULL)
        {
          guint total = 0;
          GPtrArray *items = bk_cms_list_decode (kind, doc, len, &total, &error);

          g_assert ((items == NULL) == (error != NULL));
          if (items != NULL)
            {
              for (guint i = 0; i < items->len; i++)
                g_assert (((BkCmsRecord *) g_ptr_array_index (items, i))->id != NULL);
              g_ptr_array_unref (items);
            }
        }
      if (error != NULL)
        {
          g_assert (error->domain == BK_CMS_ERROR);
          g_assert (error->code == BK_CMS_ERROR_MALFORMED_REPLY);
          g_assert (g_utf8_validate (error->message, -1, NULL));
          g_error_free (error);
        }
    }
  else if (selector == 2 * BK_CMS_N_KINDS)
    {
      GPtrArray *failures = bk_cms_failure_details_decode (doc, len);

      if (failures != NULL)
        {
          for (guint i = 0; i < failures->len; i++)
            {
              const BkCmsFailure *f = g_ptr_array_index (failures, i);
              char *sentence = bk_cms_failure_describe (f->reason, f->parameter, f->value);

              g_assert (sentence != NULL);
              g_free (sentence);
            }
          g_ptr_array_unref (failures);
        }
    }
  else if (selector == 2 * BK_CMS_N_KINDS + 1)
    {
      char *masked = bk_cms_mask_xml (doc, len);
      g_free (masked);
    }
  else
    {
      char *form = g_strndup (doc, len);
      char *masked = bk_cms_mask_form (form);

      g_free (masked);
      g_free (form);
    }
  return 0;
}
