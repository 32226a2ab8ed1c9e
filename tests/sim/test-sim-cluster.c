/* placeholder */
#include "bk-test-util.h"
int main (int argc, char *argv[]) { bk_test_init (&argc, &argv); return g_test_run (); }
