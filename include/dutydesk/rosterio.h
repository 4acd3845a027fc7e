/*
 * rosterio.h — bulk input for the roster: `dutydesk import
 * orgs|roster|duty|objects FILE.csv` and `dutydesk org load FILE.conf`.
 *
 * Both are all or nothing: every row is checked and applied inside one
 * transaction (store_batch_begin), and when any row is bad the whole
 * batch is rolled back, so a file either goes in whole or leaves the
 * store exactly as it was.  Every bad row is reported, not just the
 * first, as "FILE:LINE:COL: column: reason", in file order.  Rows that
 * change nothing write nothing, so loading the same file twice adds no
 * events.  Orgs are applied parents first whatever the file's order.
 *
 * CSV columns are named by the header row (English or Chinese, any
 * order; see docs/IMPORT.md); booleans are yes/no, true/false, 1/0 or
 * 是/否; lists of officers are separated by 、 , ; or /.
 */
#ifndef DUTYDESK_ROSTERIO_H
#define DUTYDESK_ROSTERIO_H

#include "dutydesk/config.h"
#include "dutydesk/error.h"
#include "dutydesk/store.h"

enum dd_table { DD_TABLE_ORGS, DD_TABLE_ROSTER, DD_TABLE_DUTY, DD_TABLE_OBJECTS };

/* "orgs", "roster", "duty", "objects"; -1 otherwise. */
int rosterio_table_parse(const char *s);

struct dd_import_report {
	long rows;             /* data rows (orgs, liaisons, objects … in a .conf) read */
	long written;          /* events written */
	long unchanged;        /* rows that changed nothing */
	long bad;              /* rows refused */
	char encoding[24];     /* of a CSV file */
};

/* Receives each problem, in file order. */
typedef void (*dd_problem_cb)(const char *msg, void *ctx);

/* DD_EINVAL when any row was bad (each went to problem, nothing was
 * stored); another code when the file or the store failed (err). */
int rosterio_import_csv(struct dd_store *st, const struct dd_config *cfg, enum dd_table table, const char *path,
			const char *encoding, dd_problem_cb problem, void *ctx, struct dd_import_report *rep,
			struct dd_error *err);

/* data/orgs/chongqing.conf and files like it (libconfig): a list orgs of
 * groups {id, kind, name, name_en, pinyin, parent, retired, liaisons,
 * objects}; see the file's header.  Problems name FILE:LINE. */
int rosterio_load_conf(struct dd_store *st, const struct dd_config *cfg, const char *path, dd_problem_cb problem,
		       void *ctx, struct dd_import_report *rep, struct dd_error *err);

#endif
