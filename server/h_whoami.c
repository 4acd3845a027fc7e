/*
 * h_whoami.c — GET /v1/whoami: what the server makes of the caller's
 * token, so a console (and `dutydesk sync --status`) can show which org,
 * role and read scope it syncs with, and a misissued token is caught
 * before any event is refused.
 */
#include "server.h"

enum MHD_Result h_whoami(struct request *rq)
{
	const char *reads = scope_read_prefix(rq->role, rq->token.org);
	return http_reply(rq, MHD_HTTP_OK,
			  json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "token", (json_int_t)rq->token.id, "name",
				    rq->token.name, "org", rq->token.org, "role", role_name(rq->role), "writes",
				    rq->token.org, "reads", reads ? reads : "*"),
			  NULL);
}
