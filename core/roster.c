/*
 * roster.c — the rules for changing the org tree, liaisons, protected
 * objects, and for recording calls (see roster.h).  Each change is
 * checked against the tables, then written as one event carrying the
 * whole new state; a change that changes nothing is not written, so
 * loading the same file twice adds nothing to the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/roster.h"
#include "dutydesk/text.h"
#include "dutydesk/timefmt.h"
#include "dutydesk/zero.h"

/* ---- vocabularies ---------------------------------------------------- */

struct label {
	const char *id, *zh;
};

static const struct label org_kind_labels[] = {
	{ "commission", "市经济信息委" },
	{ "centre", "市工信安全发展中心" },
	{ "district", "区" },
	{ "county", "县" },
	{ "autonomous-county", "自治县" },
	{ "zone", "开发区" },
	{ "ent-industrial", "工业企业" },
	{ "ent-service", "生产性服务企业" },
	{ "ent-platform", "工业互联网平台企业" },
	{ "ent-infrastructure", "工业互联网基础设施运营企业" },
	{ "ent-utility", "水电气生产企业" },
	{ "support", "技术支撑机构" },
	{ "expert-group", "专家组" },
	{ "external", "外部单位" },
	{ NULL, NULL },
};

static const struct label role_labels[] = {
	{ "lead", "工作负责人" }, { "contact", "应急联络员" }, { NULL, NULL },
};

static const struct label object_kind_labels[] = {
	{ "ics", "工业控制系统" }, { "platform", "工业互联网平台" }, { "infrastructure", "工业互联网基础设施" }, { NULL, NULL },
};

static const struct label call_result_labels[] = {
	{ "reached", "已接通" }, { "no-answer", "无人接听" }, { "busy", "占线" }, { "wrong-number", "号码错误" }, { NULL, NULL },
};

static const char *label_of(const struct label *t, const char *id)
{
	for (; t->id; t++)
		if (strcmp(t->id, id) == 0)
			return t->zh;
	return id;
}

static const char *parse_label(const struct label *t, const char *s)
{
	for (; t->id; t++)
		if (strcmp(t->id, s) == 0 || strcmp(t->zh, s) == 0)
			return t->id;
	return NULL;
}

const char *roster_org_kind_label(const char *kind) { return label_of(org_kind_labels, kind); }
const char *roster_role_label(const char *role) { return label_of(role_labels, role); }
const char *roster_object_kind_label(const char *kind) { return label_of(object_kind_labels, kind); }
const char *roster_call_result_label(const char *result) { return label_of(call_result_labels, result); }

const char *roster_org_kind_parse(const char *s)
{
	/* "区县经信主管部门" is what people call every district office. */
	if (strcmp(s, "区县") == 0)
		return "district";
	return parse_label(org_kind_labels, s);
}

const char *roster_role_parse(const char *s)
{
	if (strcmp(s, "负责人") == 0)
		return "lead";
	if (strcmp(s, "联络员") == 0)
		return "contact";
	return parse_label(role_labels, s);
}

const char *roster_object_kind_parse(const char *s)
{
	return parse_label(object_kind_labels, s);
}

bool roster_org_kind_enterprise(const char *kind)
{
	return strncmp(kind, "ent-", 4) == 0;
}

bool roster_org_kind_district(const char *kind)
{
	return strcmp(kind, "district") == 0 || strcmp(kind, "county") == 0 || strcmp(kind, "autonomous-county") == 0 ||
	       strcmp(kind, "zone") == 0;
}

void roster_district_of(const char *org, char out[DD_ORG_ID_MAX + 1])
{
	out[0] = '\0';
	if (strncmp(org, "cq.", 3) != 0)
		return;
	const char *dot = strchr(org + 3, '.');
	size_t len = dot ? (size_t)(dot - org) : strlen(org);
	static const char *const not_districts[] = { "cq.center", "cq.expert", "cq.support", NULL };
	for (int i = 0; not_districts[i]; i++)
		if (strlen(not_districts[i]) == len && strncmp(org, not_districts[i], len) == 0)
			return;
	if (len <= DD_ORG_ID_MAX)
		snprintf(out, DD_ORG_ID_MAX + 1, "%.*s", (int)len, org);
}

/* ---- shared helpers --------------------------------------------------- */

static int phone_into(const char *what, const char *value, bool must_be_mobile, char dst[DD_PHONE_MAX],
		      struct dd_error *err)
{
	dst[0] = '\0';
	if (!value || !*value)
		return 0;
	bool mobile;
	struct dd_error e;
	if (phone_normalize(value, dst, NULL, &mobile, &e))
		return dd_fail(err, DD_EINVAL, "%s %s", what, e.msg);
	if (must_be_mobile && !mobile)
		return dd_fail(err, DD_EINVAL, "%s '%s' is not a mobile number (put a landline under office)", what, value);
	return 0;
}

static void put(json_t *body, const char *name, const char *value)
{
	if (value && *value)
		json_object_set_new(body, name, json_string(value));
}

/* Appends kind about subject for org; takes body. */
static int append(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *subject,
		  const char *org, json_t *body, int64_t at_ms, struct dd_event *out, struct dd_error *err)
{
	if (!cfg->origin[0] || !cfg->officer[0]) {
		json_decref(body);
		return dd_fail(err, DD_ECONFIG, "%s: origin and officer must be set; run `dutydesk init`", cfg->path);
	}
	struct dd_new_event ne = {
		.origin = cfg->origin, .actor = cfg->officer, .org = org, .kind = kind, .subject = subject,
		.drill = 0, .body = body, .at_ms = at_ms, .tz = cfg->timezone,
	};
	int rc = store_append_local(st, &ne, out, err);
	json_decref(body);
	return rc;
}

/* append() of body with the instant ms put under name, for the changes
 * that say when they take effect; takes body. */
static int append_at(struct dd_store *st, const struct dd_config *cfg, const char *kind, const char *subject,
		     const char *org, json_t *body, const char *name, int64_t ms, struct dd_event *out,
		     struct dd_error *err)
{
	char at[DD_AT_MAX];
	if (time_format_rfc3339(ms, cfg->timezone, at, sizeof at) < 0) {
		json_decref(body);
		return dd_fail(err, DD_ERANGE, "%s: the time is out of range", name);
	}
	json_object_set_new(body, name, json_string(at));
	return append(st, cfg, kind, subject, org, body, 0, out, err);
}

static json_t *body_v1(void)
{
	return json_pack("{s:i}", "v", 1);
}

/* ---- orgs ------------------------------------------------------------ */

struct org_clean {
	char id[DD_ORG_ID_MAX + 1];
	char parent[DD_ORG_ID_MAX + 1];
	const char *kind;
	char name[DD_NAME_MAX + 1];
	char name_en[DD_NAME_MAX + 1];
	char pinyin[201];
};

static int org_clean(struct dd_store *st, const struct dd_org_in *o, struct org_clean *c, struct dd_error *err)
{
	int rc;
	const char *id = o->id ? o->id : "";
	if (!org_id_valid(id))
		return dd_fail(err, DD_EINVAL, "id '%s' is not an org id (lowercase labels a-z 0-9 - _ joined by dots: "
			       "cq.yubei.ent-0042)", id);
	if (strlen(id) > DD_ORG_ID_MAX)
		return dd_fail(err, DD_EINVAL, "id '%s' is longer than %d bytes", id, DD_ORG_ID_MAX);
	snprintf(c->id, sizeof c->id, "%s", id);
	if (!o->kind || !(c->kind = roster_org_kind_parse(o->kind)))
		return dd_fail(err, DD_EINVAL, "kind '%s' is not an org kind (commission, centre, district, county, "
			       "autonomous-county, zone, ent-industrial, ent-service, ent-platform, ent-infrastructure, "
			       "ent-utility, support, expert-group, external)", o->kind ? o->kind : "");
	if ((rc = text_clean_into("name", o->name, c->name, sizeof c->name, true, err)) ||
	    (rc = text_clean_into("name_en", o->name_en, c->name_en, sizeof c->name_en, false, err)) ||
	    (rc = text_clean_into("pinyin", o->pinyin, c->pinyin, sizeof c->pinyin, false, err)))
		return rc;
	snprintf(c->parent, sizeof c->parent, "%s", o->parent ? o->parent : "");
	bool in_cq = strncmp(id, "cq.", 3) == 0;
	/* Under cq the id says the parent: cq.yubei.ent-1 belongs to cq.yubei. */
	if (!c->parent[0] && in_cq)
		snprintf(c->parent, sizeof c->parent, "%.*s", (int)(strrchr(id, '.') - id), id);

	if (!c->parent[0])
		return 0;
	size_t pn = strlen(c->parent);
	if (in_cq && !(strncmp(id, c->parent, pn) == 0 && id[pn] == '.'))
		return dd_fail(err, DD_EINVAL, "parent '%s' is not a prefix of id '%s' (the parent of cq.yubei.ent-1 is cq.yubei)",
			       c->parent, id);
	struct dd_org parent;
	struct dd_error e;
	if ((rc = store_org_get(st, c->parent, &parent, &e)))
		return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "parent '%s' is not a known org", c->parent)
					  : (*err = e, rc);
	if (parent.retired)
		return dd_fail(err, DD_EINVAL, "parent '%s' is retired", c->parent);
	if (roster_org_kind_enterprise(c->kind) && !roster_org_kind_district(parent.kind) &&
	    !roster_org_kind_enterprise(parent.kind))
		return dd_fail(err, DD_EINVAL, "an enterprise belongs to a district office or another enterprise, "
			       "not to '%s' (%s)", c->parent, parent.kind);
	if (roster_org_kind_district(c->kind) && strcmp(c->parent, "cq") != 0)
		return dd_fail(err, DD_EINVAL, "a district office belongs to cq, not to '%s'", c->parent);
	return 0;
}

int roster_org_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_org_in *o, bool *changed,
		   struct dd_error *err)
{
	struct org_clean c;
	int rc = org_clean(st, o, &c, err);
	if (changed)
		*changed = false;
	if (rc)
		return rc;
	struct dd_org old;
	struct dd_error e;
	if ((rc = store_org_get(st, c.id, &old, &e)) == 0 && strcmp(old.parent, c.parent) == 0 &&
	    strcmp(old.kind, c.kind) == 0 && strcmp(old.name, c.name) == 0 && strcmp(old.name_en, c.name_en) == 0 &&
	    strcmp(old.pinyin, c.pinyin) == 0 && old.retired == o->retired)
		return 0;
	if (rc && rc != DD_ENOTFOUND)
		return *err = e, rc;
	json_t *body = body_v1();
	json_object_set_new(body, "kind", json_string(c.kind));
	json_object_set_new(body, "name", json_string(c.name));
	put(body, "name_en", c.name_en);
	put(body, "pinyin", c.pinyin);
	put(body, "parent", c.parent);
	if (o->retired)
		json_object_set_new(body, "retired", json_true());
	if ((rc = append(st, cfg, "org.set", c.id, c.id, body, 0, NULL, err)))
		return rc;
	if (changed)
		*changed = true;
	return 0;
}

/* ---- liaisons ------------------------------------------------------- */

struct liaison_clean {
	char org[DD_ORG_ID_MAX + 1];
	const char *role;
	char name[DD_PERSON_MAX + 1];
	char title[DD_PERSON_MAX + 1];
	char office[DD_PHONE_MAX];
	char mobile[DD_PHONE_MAX];
	char email[DD_PERSON_MAX + 1];
};

static int liaison_clean(struct dd_store *st, const struct dd_liaison_in *in, struct liaison_clean *c,
			 struct dd_error *err)
{
	int rc;
	struct dd_org org;
	struct dd_error e;
	const char *id = in->org ? in->org : "";
	if ((rc = store_org_get(st, id, &org, &e)))
		return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "org '%s' is not a known org", id) : (*err = e, rc);
	if (org.retired)
		return dd_fail(err, DD_EINVAL, "org '%s' is retired", id);
	snprintf(c->org, sizeof c->org, "%s", id);
	if (!in->role || !(c->role = roster_role_parse(in->role)))
		return dd_fail(err, DD_EINVAL, "role '%s' is neither lead (工作负责人) nor contact (应急联络员)",
			       in->role ? in->role : "");
	if ((rc = text_clean_into("name", in->name, c->name, sizeof c->name, true, err)) ||
	    (rc = text_clean_into("title", in->title, c->title, sizeof c->title, false, err)) ||
	    (rc = text_clean_into("email", in->email, c->email, sizeof c->email, false, err)) ||
	    (rc = phone_into("office", in->office, false, c->office, err)) ||
	    (rc = phone_into("mobile", in->mobile, true, c->mobile, err)))
		return rc;
	const char *at = strchr(c->email, '@');
	if (c->email[0] && (!at || at == c->email || !strchr(at, '.') || strpbrk(c->email, " \t,;")))
		return dd_fail(err, DD_EINVAL, "email '%s' is not an e-mail address", c->email);
	return 0;
}

static json_t *liaison_body(const char *org, const char *role, const char *name, const char *title,
			    const char *office, const char *mobile, const char *email)
{
	json_t *body = body_v1();
	json_object_set_new(body, "org", json_string(org));
	json_object_set_new(body, "role", json_string(role));
	json_object_set_new(body, "name", json_string(name));
	put(body, "title", title);
	put(body, "office", office);
	put(body, "mobile", mobile);
	put(body, "email", email);
	return body;
}

int roster_liaison_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_liaison_in *in,
		       char id[DD_UUID_LEN + 1], bool *changed, struct dd_error *err)
{
	struct liaison_clean c;
	int rc = liaison_clean(st, in, &c, err);
	if (changed)
		*changed = false;
	if (rc)
		return rc;
	struct dd_liaison old;
	struct dd_error e;
	char lid[DD_UUID_LEN + 1];
	int64_t from = in->valid_from_ms ? in->valid_from_ms : time_now_ms();
	rc = store_liaison_find(st, c.org, c.role, c.name, &old, &e);
	if (rc && rc != DD_ENOTFOUND)
		return *err = e, rc;
	if (rc == 0) {
		snprintf(lid, sizeof lid, "%s", old.id);
		if (!old.removed && strcmp(old.name, c.name) == 0 && strcmp(old.title, c.title) == 0 &&
		    strcmp(old.office, c.office) == 0 && strcmp(old.mobile, c.mobile) == 0 &&
		    strcmp(old.email, c.email) == 0) {
			if (id)
				snprintf(id, DD_UUID_LEN + 1, "%s", lid);
			return 0;
		}
		if (from < old.valid_from_ms) {
			char when[32];
			time_format_local(old.valid_from_ms, cfg->timezone, "%Y-%m-%d %H:%M", when, sizeof when);
			return dd_fail(err, DD_EINVAL, "valid_from is before the current entry's (%s): history is not rewritten",
				       when);
		}
	} else {
		uuid7_new(time_now_ms(), lid);
	}
	json_t *body = liaison_body(c.org, c.role, c.name, c.title, c.office, c.mobile, c.email);
	if ((rc = append_at(st, cfg, "liaison.set", lid, c.org, body, "valid_from", from, NULL, err)))
		return rc;
	if (id)
		snprintf(id, DD_UUID_LEN + 1, "%s", lid);
	if (changed)
		*changed = true;
	return 0;
}

int roster_liaison_remove(struct dd_store *st, const struct dd_config *cfg, const char *id, int64_t valid_from_ms,
			  struct dd_error *err)
{
	struct dd_liaison old;
	int rc = store_liaison_get(st, id, &old, err);
	if (rc)
		return rc;
	if (old.removed)
		return dd_fail(err, DD_EINVAL, "%s (%s) is already removed", old.name, id);
	int64_t from = valid_from_ms ? valid_from_ms : time_now_ms();
	if (from < old.valid_from_ms)
		return dd_fail(err, DD_EINVAL, "the removal would come before the current entry began");
	json_t *body = liaison_body(old.org, old.role, old.name, old.title, old.office, old.mobile, old.email);
	json_object_set_new(body, "removed", json_true());
	return append_at(st, cfg, "liaison.set", old.id, old.org, body, "valid_from", from, NULL, err);
}

/* ---- protected objects ----------------------------------------------- */

struct object_clean {
	char org[DD_ORG_ID_MAX + 1];
	const char *kind;
	char name[DD_NAME_MAX + 1];
	char note[1001];
};

static int object_clean(struct dd_store *st, const struct dd_object_in *in, struct object_clean *c,
			struct dd_error *err)
{
	int rc;
	struct dd_org org;
	struct dd_error e;
	const char *id = in->org ? in->org : "";
	if ((rc = store_org_get(st, id, &org, &e)))
		return rc == DD_ENOTFOUND ? dd_fail(err, DD_EINVAL, "org '%s' is not a known org", id) : (*err = e, rc);
	if (!roster_org_kind_enterprise(org.kind))
		return dd_fail(err, DD_EINVAL, "org '%s' is not an enterprise; protected objects belong to enterprises", id);
	snprintf(c->org, sizeof c->org, "%s", id);
	if (!in->kind || !(c->kind = roster_object_kind_parse(in->kind)))
		return dd_fail(err, DD_EINVAL, "kind '%s' is not ics (工业控制系统), platform (工业互联网平台) or "
			       "infrastructure (工业互联网基础设施)", in->kind ? in->kind : "");
	if ((rc = text_clean_into("name", in->name, c->name, sizeof c->name, true, err)) ||
	    (rc = text_clean_into("note", in->note, c->note, sizeof c->note, false, err)))
		return rc;
	return 0;
}

int roster_object_set(struct dd_store *st, const struct dd_config *cfg, const struct dd_object_in *in,
		      char id[DD_UUID_LEN + 1], bool *changed, struct dd_error *err)
{
	struct object_clean c;
	int rc = object_clean(st, in, &c, err);
	if (changed)
		*changed = false;
	if (rc)
		return rc;
	struct dd_object old;
	struct dd_error e;
	char oid[DD_UUID_LEN + 1];
	rc = store_object_find(st, c.org, c.name, &old, &e);
	if (rc && rc != DD_ENOTFOUND)
		return *err = e, rc;
	if (rc == 0) {
		snprintf(oid, sizeof oid, "%s", old.id);
		if (id)
			snprintf(id, DD_UUID_LEN + 1, "%s", oid);
		if (strcmp(old.kind, c.kind) == 0 && old.exposed == in->exposed && strcmp(old.note, c.note) == 0 &&
		    !old.retired)
			return 0;
	} else {
		uuid7_new(time_now_ms(), oid);
	}
	json_t *body = body_v1();
	json_object_set_new(body, "org", json_string(c.org));
	json_object_set_new(body, "kind", json_string(c.kind));
	json_object_set_new(body, "name", json_string(c.name));
	json_object_set_new(body, "exposed", json_boolean(in->exposed));
	put(body, "note", c.note);
	struct dd_event ev;
	if ((rc = append(st, cfg, "object.set", oid, c.org, body, 0, &ev, err)))
		return rc;
	if (id)
		snprintf(id, DD_UUID_LEN + 1, "%s", oid);
	if (changed)
		*changed = true;
	rc = zero_freeze_check(st, cfg, oid, false, ev.kind, ev.id, time_now_ms(), err);
	event_free(&ev);
	return rc;
}

int roster_object_assess(struct dd_store *st, const struct dd_config *cfg, const char *id, bool important,
			 int64_t assessed_ms, const char *note, bool *changed, struct dd_error *err)
{
	struct dd_object old;
	int rc = store_object_get(st, id, &old, err);
	if (changed)
		*changed = false;
	if (rc)
		return rc;
	char clean[1001];
	if ((rc = text_clean_into("note", note, clean, sizeof clean, false, err)))
		return rc;
	int64_t at = assessed_ms ? assessed_ms : time_now_ms();
	if (old.assessed_ms == at && old.important == important && strcmp(old.assess_note, clean) == 0)
		return 0;
	json_t *body = body_v1();
	json_object_set_new(body, "important", json_boolean(important));
	put(body, "note", clean);
	struct dd_event ev;
	if ((rc = append_at(st, cfg, "object.assess", old.id, old.org, body, "assessed_at", at, &ev, err)))
		return rc;
	if (changed)
		*changed = true;
	/* Un-marking an important object is a change to it too. */
	rc = zero_freeze_check(st, cfg, old.id, old.important, ev.kind, ev.id, time_now_ms(), err);
	event_free(&ev);
	return rc;
}

/* ---- calls ----------------------------------------------------------- */

int roster_call(struct dd_store *st, const struct dd_config *cfg, const struct dd_call_in *in, struct dd_event *out,
		struct dd_error *err)
{
	struct dd_org org;
	int rc = store_org_get(st, in->org ? in->org : "", &org, err);
	if (rc)
		return rc;
	if (!in->result || !parse_label(call_result_labels, in->result))
		return dd_fail(err, DD_EINVAL, "result '%s' is not reached, no-answer, busy or wrong-number",
			       in->result ? in->result : "");
	const char *result = parse_label(call_result_labels, in->result);
	struct dd_liaison l;
	if (in->liaison && *in->liaison) {
		if ((rc = store_liaison_get(st, in->liaison, &l, err)))
			return rc;
		if (strcmp(l.org, org.id) != 0)
			return dd_fail(err, DD_EINVAL, "%s is a liaison of %s, not of %s", l.name, l.org, org.id);
	}
	if (in->incident && *in->incident && !uuid_valid(in->incident, false))
		return dd_fail(err, DD_EINVAL, "incident '%s' is not an incident id", in->incident);
	char note[1001];
	if ((rc = text_clean_into("note", in->note, note, sizeof note, false, err)))
		return rc;

	/* The text reads on its own in the shift log and in exports, the
	 * result first so a narrow log line still shows it; the org's id is
	 * in "callee". */
	char text[2048], person[400] = "";
	if (in->liaison && *in->liaison)
		snprintf(person, sizeof person, "；%s（%s）%s", l.name, roster_role_label(l.role),
			 l.mobile[0] ? l.mobile : l.office);
	snprintf(text, sizeof text, "%s %s：%s%s%s%s", in->incoming ? "来电" : "致电", org.name,
		 roster_call_result_label(result), person, note[0] ? "。" : "", note);
	json_t *body = body_v1();
	json_object_set_new(body, "kind", json_string(in->incoming ? "call-in" : "call-out"));
	json_object_set_new(body, "text", json_string(text));
	json_object_set_new(body, "callee", json_string(org.id));
	json_object_set_new(body, "result", json_string(result));
	if (in->liaison && *in->liaison)
		json_object_set_new(body, "liaison", json_string(l.id));
	put(body, "incident", in->incident);
	/* The event's org is the desk's: the call is its shift log's entry. */
	return append(st, cfg, "log.entry", "", cfg->org, body, in->at_ms, out, err);
}
