/*
 * fuzz_batch.c — libFuzzer target for dutydeskd's request decoder: the
 * body of POST /v1/events goes through the same steps as in
 * server/h_events.c (batch_parse, batch_authorize for a token, then
 * batch_store inside a transaction, batch_status and batch_answer), so a
 * crash, leak or undefined behaviour on any byte string a client may send
 * shows up here under ASan and UBSan.
 *
 * The store runs against a real SQLite backend in a temporary folder, and
 * every transaction is rolled back: each input starts from an empty
 * server, so an input's outcome does not depend on the ones before it.
 *
 *   make fuzz                      (a longer run; see the Makefile)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "db.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/dutydesk-fuzz.XXXXXX";
static char path[sizeof dir + 16];
static struct db_session *session;

/* The database and its WAL files go with the process. */
static void remove_db(void)
{
	if (session)
		db_sqlite_ops.close(session);
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[sizeof path + 8];
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		snprintf(p, sizeof p, "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct dd_error err;
	if (!mkdtemp(dir)) {
		perror("fuzz_batch: mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/d.db", dir);
	atexit(remove_db);
	if (db_sqlite_ops.open(path, &session, &err) != 0) {
		fprintf(stderr, "fuzz_batch: %s\n", err.msg);
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the token: a city token writes anything, an
	 * enterprise one only its own org, so both scope paths are reached. */
	static const struct {
		enum role role;
		const char *org;
	} tokens[] = { { ROLE_CITY, "cq" }, { ROLE_DISTRICT, "cq.yubei" }, { ROLE_ENTERPRISE, "cq.yubei.ent-1" } };
	if (size == 0)
		return 0;
	size_t t = data[0] % (sizeof tokens / sizeof *tokens);
	struct batch b;
	struct dd_error err;
	if (batch_parse((const char *)data + 1, size - 1, &b, &err) != 0)
		return 0;
	batch_authorize(&b, tokens[t].role, tokens[t].org);
	if (batch_rejected(&b) == 0 && db_sqlite_ops.begin(session, true, &err) == 0) {
		batch_store(&db_sqlite_ops, session, &b, &err);
		db_sqlite_ops.rollback(session);
	}
	(void)batch_status(&b);
	json_t *answer = batch_answer(&b);
	char *text = json_dumps(answer, JSON_COMPACT);
	free(text);
	json_decref(answer);
	batch_free(&b);
	return 0;
}
