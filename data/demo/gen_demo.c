/*
 * gen_demo.c — writes a realistic, deterministic duty record as JSON lines
 * of events (one per line), for `dutydesk import`: the demo database of
 * `make run` and the benchmarks' large logs.
 *
 * What it writes, merged into one stream in time order:
 *  - a shift log from eight desks (--days, --count);
 *  - incidents: by default a dozen scripted ones that show every part of
 *    the incident screens (tiers, hops made and overdue, follow-up reports,
 *    a correction, a duplicate, a closed one with its summary); with
 *    --incidents N instead N simulated ones with a realistic mix of about
 *    ten events each, for the queue benchmark;
 *  - with --orgs (the org tree file), incidents reported by enterprises of
 *    that tree (the scripted ones each by the one of its district whose
 *    kind and name fit it), and the shift log naming them too;
 *  - with --orgs too, a protection period over the four
 *    district desks' districts, from three days before the end to a week
 *    after, reports at 09:00 and 16:00, and the zero reports of every
 *    reporting org in its scope: most on time, some late, some missing,
 *    and for the report times still to come only those made by the end;
 *  - with --orgs too, four advisories (预警通报) of every level over the
 *    last days, from the commission, the centre and a district office, to
 *    orgs of that tree, with their answers: acknowledged and reported
 *    (affected or not, with measures), only acknowledged, or not yet;
 *    one of them past its deadline.
 *
 * Same seed, same end time, same tiers.conf and org tree, same bytes:
 * ids, origins and texts all come from one seeded generator, and every
 * event is sealed and validated by the real codec (chain per origin, HLC,
 * body schema), so the output also exercises the rules it will be checked
 * against.  Reporting chains come from the tiers.conf read at start
 * (--tiers), as the console would record them.  People, enterprises and
 * phone numbers are fictional.
 */
#include <getopt.h>
#include <libconfig.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/incident.h"
#include "dutydesk/kinds.h"
#include "dutydesk/timefmt.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: small, fast, and identical on every platform. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A uniform duration in [lo, hi] minutes, in ms. */
static int64_t minutes(unsigned lo, unsigned hi)
{
	return (int64_t)(lo + pick(hi - lo + 1)) * MIN_MS;
}

#define PICK(array) array[pick(sizeof array / sizeof array[0])]

static void seeded_uuid7(int64_t ms, char out[DD_UUID_LEN + 1])
{
	unsigned char b[16];
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
	uint64_t r1 = rnd(), r2 = rnd();
	b[6] = (unsigned char)(0x70 | (r1 & 0x0f));
	b[7] = (unsigned char)(r1 >> 8);
	b[8] = (unsigned char)(0x80 | ((r1 >> 16) & 0x3f));
	for (int i = 9; i < 16; i++)
		b[i] = (unsigned char)(r2 >> (8 * (i - 9)));
	static const char hex[] = "0123456789abcdef";
	char *o = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 15];
	}
	*o = '\0';
}

struct desk {
	const char *officer, *org;
	char origin[DD_UUID_LEN + 1];
	int64_t seq;
	char head[DD_HASH_HEX + 1];
};

/* 赵磊 leads the shift: the scripts have him confirm tiers. */
enum { LEADER = 2 };

static struct desk desks[] = {
	{ "张伟", "cq.center", "", 0, "" },   { "李娜", "cq.center", "", 0, "" },
	{ "赵磊", "cq.center", "", 0, "" },   { "王强", "cq.yubei", "", 0, "" },
	{ "刘洋", "cq.liangjiang", "", 0, "" }, { "陈静", "cq.fuling", "", 0, "" },
	{ "周敏", "cq.jiulongpo", "", 0, "" },  { "吴涛", "cq.center", "", 0, "" },
};

#define N_DESKS (sizeof desks / sizeof desks[0])

/* Parallel: the district's name and its org id (reference/chongqing-orgs.tsv). */
static const char *const districts[] = { "渝北区", "两江新区", "涪陵区", "九龙坡区", "江津区",
					 "长寿区", "璧山区", "永川区", "万州区", "西部科学城重庆高新区" };
static const char *const district_ids[] = { "yubei", "liangjiang", "fuling", "jiulongpo", "jiangjin",
					    "changshou", "bishan", "yongchuan", "wanzhou", "gaoxin" };
#define N_DISTRICTS (sizeof districts / sizeof districts[0])

static const char *const enterprises[] = {
	"某汽车零部件公司（虚构）", "某电子材料厂（虚构）", "某水务公司（虚构）",
	"某燃气公司（虚构）",       "某电力公司（虚构）",   "某工业互联网平台企业（虚构）",
	"某化工企业（虚构）",       "某笔电代工厂（虚构）", "某标识解析二级节点（虚构）",
};
static const char *const systems[] = { "PLC", "SCADA", "DCS", "MES", "工业互联网平台", "标识解析节点",
				       "HMI工作站", "数据中心" };
static const char *const call_in[] = {
	"接到%s经信委来电：%s报告%s通信异常，已登记，要求1小时内报送初步情况",
	"%s%s联络员来电，%s出现异常登录告警，正在核实",
	"接%s来电：%s%s遭勒索软件加密，生产线已停，请求技术支撑",
	"市态势感知平台通报：%s%s存在高危漏洞暴露面（%s），转区县核实",
	"%s%s来电报告%s误报，已恢复正常",
};
static const char *const call_out[] = {
	"致电%s经信委，督促%s报送%s事件初步报告",
	"电话通知技术支撑机构赴%s%s现场处置%s故障",
	"回电%s%s联络员，确认%s已隔离",
};
static const char *const actions[] = {
	"已将%s%s%s事件信息报市经济信息委带班领导",
	"启动应急响应，协调专家组远程研判%s%s%s日志",
	"向%s下发预警通报，要求排查%s%s同类漏洞",
	"%s%s%s已完成补丁升级，持续监测",
};
static const char *const notes[] = {
	"%s零报告已收齐，%s%s情况待核",
	"系统巡检正常；%s%s%s监测无告警",
	"%s%s值班电话测试正常，%s运行平稳",
	"定时巡查：%s%s%s数据上报正常",
};

/* The org tree's orgs (--orgs), NULL without one. */
static const config_setting_t *tree;

static bool setting_bool(const config_setting_t *o, const char *name)
{
	int b = 0;
	config_setting_lookup_bool(o, name, &b);
	return b != 0;
}

/* Whether org o of the tree is a current enterprise of district (an org
 * id such as cq.fuling). */
static bool enterprise_of(const config_setting_t *o, const char *district)
{
	const char *id = NULL, *kind = NULL, *name = NULL, *parent = NULL;
	config_setting_lookup_string(o, "id", &id);
	config_setting_lookup_string(o, "kind", &kind);
	config_setting_lookup_string(o, "name", &name);
	if (!id || !kind || !name || strncmp(kind, "ent-", 4) != 0 || setting_bool(o, "retired"))
		return false;
	/* the parent is the id without its last label unless it says otherwise */
	if (config_setting_lookup_string(o, "parent", &parent) == CONFIG_TRUE)
		return strcmp(parent, district) == 0;
	size_t n = strlen(district);
	return strncmp(id, district, n) == 0 && id[n] == '.' && !strchr(id + n + 1, '.');
}

/* An enterprise's short name, as a title or the log names it:
 * 峻岚祥渝化工有限公司（虚构） → 峻岚祥渝化工.  The queue shows the org's
 * full name beside the title when it is wide, only its district when
 * narrow, so the title starts with what tells the enterprise apart. */
static void brief_name(const char *name, char *buf, size_t n)
{
	size_t len = strlen(name);
	static const char *const tails[] = { "（虚构）", "有限公司" };
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		size_t t = strlen(tails[i]);
		if (len > t && strncmp(name + len - t, tails[i], t) == 0)
			len -= t;
	}
	snprintf(buf, n, "%.*s", (int)len, name);
}

/* The enterprises of districts[] in the tree, for the shift log's texts. */
#define DISTRICT_ENTS_MAX 64
static const config_setting_t *district_ents[N_DISTRICTS][DISTRICT_ENTS_MAX];
static unsigned n_district_ents[N_DISTRICTS];

static void list_district_ents(void)
{
	for (size_t d = 0; d < N_DISTRICTS; d++) {
		char district[64];
		snprintf(district, sizeof district, "cq.%s", district_ids[d]);
		for (int k = 0; tree && k < config_setting_length(tree); k++) {
			const config_setting_t *o = config_setting_get_elem(tree, (unsigned)k);
			if (enterprise_of(o, district) && n_district_ents[d] < DISTRICT_ENTS_MAX)
				district_ents[d][n_district_ents[d]++] = o;
		}
	}
}

/* The picks are made one statement at a time: the order in which a
 * function's arguments are evaluated is unspecified, and the output must
 * be the same whatever the compiler. */
static void fill(char *buf, size_t n, const char *tmpl)
{
	unsigned d = pick(N_DISTRICTS);
	const char *enterprise = PICK(enterprises);
	const char *system = PICK(systems);
	/* with the org tree, one of the district's own enterprises */
	char named[256];
	if (n_district_ents[d]) {
		const char *name = NULL;
		config_setting_lookup_string(district_ents[d][pick(n_district_ents[d])], "name", &name);
		brief_name(name, named, sizeof named);
		enterprise = named;
	}
	snprintf(buf, n, tmpl, districts[d], enterprise, system);
}

/* Seals, validates and prints one event of desk d; body is consumed.
 * id receives the event's id when not NULL. */
static int emit(struct desk *d, int64_t at_ms, uint64_t *hlc, const char *kind, const char *subject, json_t *body,
		const char *tz, char *id)
{
	struct dd_event ev;
	event_init(&ev);
	seeded_uuid7(at_ms, ev.id);
	snprintf(ev.origin, sizeof ev.origin, "%s", d->origin);
	ev.seq = ++d->seq;
	*hlc = hlc_tick(*hlc, at_ms);
	ev.hlc = *hlc;
	time_format_rfc3339(at_ms, tz, ev.at, sizeof ev.at);
	snprintf(ev.actor, sizeof ev.actor, "%s", d->officer);
	snprintf(ev.org, sizeof ev.org, "%s", d->org);
	snprintf(ev.kind, sizeof ev.kind, "%s", kind);
	snprintf(ev.subject, sizeof ev.subject, "%s", subject);
	snprintf(ev.prev, sizeof ev.prev, "%s", d->head);
	ev.body = body;
	struct dd_error err;
	char *line = NULL;
	int rc = ev.body ? event_seal(&ev, &err) : dd_fail(&err, DD_ENOMEM, "out of memory");
	if (rc == 0)
		rc = event_validate(&ev, true, &err);
	if (rc == 0)
		rc = event_encode(&ev, &line, NULL, &err);
	if (rc == 0) {
		puts(line);
		memcpy(d->head, ev.hash, sizeof d->head);
		if (id)
			memcpy(id, ev.id, DD_UUID_LEN + 1);
	} else {
		fprintf(stderr, "gen-demo: %s %s: %s\n", kind, subject, err.msg);
	}
	free(line);
	event_free(&ev);
	return rc;
}

/* ---- incidents: what happens to them ---------------------------------- */

enum step_kind { S_OPEN, S_PROPOSE, S_CONFIRM, S_HOP, S_STATUS, S_NOTE, S_CORRECT, S_REPORT, S_DUP, S_SUMMARY };

/* A scripted incident of the demo, detected `before_min` minutes before
 * the end of the record.  Its reporting org is the enterprise of the org
 * tree (--orgs) in `district` that fits it best: of `kind` with `word` in
 * its name, else of `kind`, else any; without a tree, or when the district
 * has no enterprise, it is `org`, named `generic` after the district.
 * The %s of the title takes the enterprise's short name (brief_name), or
 * that generic name. */
struct demo_incident {
	const char *title, *category, *district, *district_name, *kind, *word, *org, *generic;
	const char *objects, *reporter, *description;
	bool cii;
	int before_min;
};

/* One scripted change, `after_min` after the incident's detection.
 *   S_PROPOSE, S_CONFIRM  a tier id, b reason
 *   S_HOP                 a hop id, b via
 *   S_STATUS              a status, b note
 *   S_NOTE, S_CORRECT     a text, its %s the reporting org's name (a
 *                         correction corrects the last note)
 *   S_REPORT, S_SUMMARY   a the body's fields as a JSON object
 *   S_DUP                 ref: the incident it duplicates */
struct demo_step {
	int inc, after_min, desk;
	enum step_kind kind;
	const char *a, *b;
	int ref;
};

static const struct demo_incident demo_incidents[] = {
	/* 0: CII, 较大 confirmed, both hops in time, closed with its summary */
	{ "%sSCADA系统异常登录", "intrusion", "cq.shapingba", "沙坪坝区", "ent-utility", "水务",
	  "cq.shapingba.water-01", "某水务公司（虚构）", "SCADA服务器、二水厂取水泵站HMI", "王工（信息部，138-0000-0101）",
	  "夜间运维账号从境外IP登录SCADA服务器，尝试修改加药泵参数，被值守人员发现后断开", true, 3 * 1440 - 120 },
	/* 1: 重大 confirmed, the onward report to 网信办 made late, two reports */
	{ "%s平台遭DDoS攻击", "outage", "cq.jiulongpo", "九龙坡区", "ent-platform", "工业互联网",
	  "cq.jiulongpo.platform-04", "某工业互联网平台企业（虚构）", "工业互联网平台接入网关",
	  "刘经理（运维中心，138-0000-0104）", "平台入口遭大流量攻击，约300家接入企业设备数据上报中断", false,
	  20 * 60 },
	/* 2: CII, 特别重大 proposed and not yet confirmed, commission overdue */
	{ "%sDCS控制器遭勒索软件加密", "malware", "cq.liangjiang", "两江新区", "ent-industrial", "化工",
	  "cq.liangjiang.chem-03", "某化工企业（虚构）", "DCS工程师站2台、操作员站5台", "陈工（仪表车间，138-0000-0103）",
	  "工程师站弹出勒索信息，合成车间已按预案切换手动并安全停车", true, 4 * 60 },
	/* 3: 较大 proposed, still assessing, first report due within the hour */
	{ "%sMES服务器疑似数据泄露", "data-leak", "cq.jiulongpo", "九龙坡区", "ent-industrial", "汽车零部件",
	  "cq.jiulongpo.auto-05", "某汽车零部件公司（虚构）", "MES数据库服务器", "周主管（IT部，138-0000-0105）",
	  "安全设备发现MES数据库向外传输约2GB数据，疑似工艺图纸", false, 3 * 60 + 15 },
	/* 4: just reported, to be graded within the hour */
	{ "%s调度数据网边界告警", "intrusion", "cq.changshou", "长寿区", "ent-utility", "供电", "cq.changshou.power-06",
	  "某电力公司（虚构）", "纵向加密认证装置", "值长（138-0000-0106）", NULL, false, 25 },
	/* 5: the same as 0, reported again by the district: a duplicate */
	{ "沙坪坝区水厂SCADA异常（沙坪坝区经信委转报）", "intrusion", "cq.shapingba", "沙坪坝区", "ent-utility", "水务",
	  "cq.shapingba.water-01", "某水务公司（虚构）", "SCADA服务器", "沙坪坝区经信委值班室", NULL, true,
	  3 * 1440 - 125 },
	/* 6: 一般 confirmed, hops made, recovering */
	{ "%sPLC程序被篡改", "intrusion", "cq.yubei", "渝北区", "ent-industrial", "电子材料", "cq.yubei.ent-07",
	  "某电子材料厂（虚构）", "3号线PLC控制柜", "设备科（138-0000-0107）",
	  "3号线PLC梯形图被改动，产线异常停机，已恢复备份程序", false, 2 * 1440 },
	/* 7: 较大 confirmed, closed, summary due in 30 days */
	{ "%s办公网蠕虫扩散至生产网", "malware", "cq.bishan", "璧山区", "ent-industrial", "电子材料", "cq.bishan.ent-08",
	  "某电子材料厂（虚构）", "测试工位主机约40台", "信息安全部（138-0000-0108）", NULL, false, 3 * 1440 + 300 },
	/* 8: unassessed, a false alarm, closed */
	{ "%s标识解析节点解析异常", "other", "cq.wanzhou", "万州区", "ent-infrastructure", "数据中心",
	  "cq.wanzhou.idnode-10", "某数据中心（虚构）", "标识解析二级节点", "节点运维（138-0000-0110）", NULL, false,
	  1440 + 400 },
	/* 9: 一般, responding, a note and its correction */
	{ "%sHMI工作站高危漏洞暴露面", "vulnerability", "cq.fuling", "涪陵区", "ent-utility", "燃气", "cq.fuling.gas-09",
	  "某燃气公司（虚构）", "门站HMI工作站", "市态势感知平台通报", NULL, false, 1440 + 100 },
	/* 10: 重大 proposed, assessing, commission overdue */
	{ "%s工控主机异常外联", "intrusion", "cq.gaoxin", "西部科学城重庆高新区", "ent-industrial", "电子材料",
	  "cq.gaoxin.chip-11", "某芯片封测厂（虚构）", "封装线工控主机", "安全运营中心（138-0000-0111）", NULL, false,
	  6 * 60 },
	/* 11: 一般, closed, summary written and reviewed */
	{ "%s变电站监控系统通信中断", "outage", "cq.dazu", "大足区", "ent-utility", "供电", "cq.dazu.power-12",
	  "某电力公司（虚构）", "变电站综自监控后台", "调度值班（138-0000-0112）", NULL, false, 3 * 1440 + 600 },
};

#define N_DEMO (sizeof demo_incidents / sizeof demo_incidents[0])

/* The reporting org of each scripted incident: its id, its name (for
 * notes) and its short name (for the title, which the queue cuts). */
static struct demo_org {
	char id[128], name[256], brief[256];
} demo_orgs[N_DEMO];

/* How well org o of the tree fits scripted incident di: 0 when it is no
 * current enterprise of di's district, 1 of another kind, 2 of di's kind,
 * 3 of di's kind with di's word in its name. */
static int fit(const config_setting_t *o, const struct demo_incident *di)
{
	const char *kind = NULL, *name = NULL;
	if (!enterprise_of(o, di->district))
		return 0;
	config_setting_lookup_string(o, "kind", &kind);
	config_setting_lookup_string(o, "name", &name);
	if (strcmp(kind, di->kind) != 0)
		return 1;
	return strstr(name, di->word) ? 3 : 2;
}

/* Picks scripted incident i's reporting org: the first best fit of the
 * tree, or the script's own when the tree has none. */
static void choose_demo_org(size_t i)
{
	const struct demo_incident *di = &demo_incidents[i];
	struct demo_org *d = &demo_orgs[i];
	const config_setting_t *best = NULL;
	for (int k = 0, top = 0; tree && k < config_setting_length(tree); k++) {
		const config_setting_t *o = config_setting_get_elem(tree, (unsigned)k);
		int f = fit(o, di);
		if (f > top) {
			top = f;
			best = o;
		}
	}
	const char *id = NULL, *name = NULL;
	if (!best) {
		snprintf(d->id, sizeof d->id, "%s", di->org);
		snprintf(d->name, sizeof d->name, "%s%s", di->district_name, di->generic);
		snprintf(d->brief, sizeof d->brief, "%s", d->name);
		return;
	}
	config_setting_lookup_string(best, "id", &id);
	config_setting_lookup_string(best, "name", &name);
	snprintf(d->id, sizeof d->id, "%s", id);
	snprintf(d->name, sizeof d->name, "%s", name);
	brief_name(name, d->brief, sizeof d->brief);
}

static const char summary_0[] =
	"{\"cause\":\"外包运维账号弱口令且未限制登录来源\",\"response\":\"断开远程通道、重置口令、核对加药泵参数\","
	"\"harm\":\"未影响出厂水质，无停水\",\"accountability\":\"运维外包单位未落实口令策略，已约谈\","
	"\"rectification\":\"启用双因素认证和来源地址白名单\",\"lessons\":\"远程运维通道须纳入日常审计\"}";
static const char summary_11[] =
	"{\"cause\":\"光纤被施工挖断\",\"response\":\"启用备用通道\",\"harm\":\"监控中断40分钟，无停电\","
	"\"accountability\":\"施工单位\",\"rectification\":\"增加路由标识\",\"lessons\":\"关键通道双路由\"}";

static const struct demo_step demo_steps[] = {
	{ 0, 10, 0, S_OPEN, NULL, NULL, 0 },
	{ 0, 20, 0, S_PROPOSE, "III", "涉及城市供水关键信息基础设施，未造成停水", 0 },
	{ 0, 25, 0, S_STATUS, "assessing", "已要求企业保留日志，专家组远程研判", 0 },
	{ 0, 40, 0, S_HOP, "district", "phone", 0 },
	{ 0, 45, LEADER, S_CONFIRM, "III", "同意定为较大事件", 0 },
	{ 0, 55, 0, S_HOP, "commission", "platform", 0 },
	{ 0, 70, 0, S_REPORT, "{\"occurred\":\"01:10 境外IP登录SCADA服务器\",\"scope\":\"二水厂加药系统\"}", NULL, 0 },
	{ 0, 90, 0, S_STATUS, "responding", "技术支撑机构到场处置", 0 },
	{ 0, 100, 0, S_NOTE, "报告单位为%s", NULL, 0 },
	{ 0, 110, 0, S_CORRECT, "更正：报告单位为%s所属第二水厂", NULL, 0 },
	{ 0, 360, 0, S_REPORT, "{\"harm\":\"未影响出厂水质\",\"measures\":\"断开远程通道，重置全部运维口令\","
			       "\"recommendations\":\"全市供水企业排查远程运维通道\"}", NULL, 0 },
	{ 0, 1440, 1, S_STATUS, "recovering", "系统恢复，持续监测24小时", 0 },
	{ 0, 2880, 1, S_STATUS, "closed", "处置结束", 0 },
	{ 0, 3000, 1, S_SUMMARY, summary_0, NULL, 0 },
	{ 1, 15, 6, S_OPEN, NULL, NULL, 0 },
	{ 1, 40, 0, S_PROPOSE, "II", "约300家接入企业受影响", 0 },
	{ 1, 60, LEADER, S_CONFIRM, "II", "按重大事件处置，报指挥机构", 0 },
	{ 1, 65, 0, S_STATUS, "assessing", "平台运营方正在引流清洗", 0 },
	{ 1, 70, 0, S_REPORT, "{\"occurred\":\"凌晨起入口流量异常\",\"scope\":\"平台接入网关\"}", NULL, 0 },
	{ 1, 180, 6, S_HOP, "district", "phone", 0 },
	{ 1, 210, 0, S_HOP, "commission", "platform", 0 },
	{ 1, 300, 0, S_HOP, "cac", "document", 0 },
	{ 1, 320, 0, S_STATUS, "responding", "运营商协助清洗流量", 0 },
	{ 1, 480, 0, S_REPORT, "{\"harm\":\"设备数据上报中断约4小时\",\"measures\":\"接入运营商清洗\","
			       "\"support\":\"请求市通信管理局协调跨网清洗\"}", NULL, 0 },
	{ 2, 20, 4, S_OPEN, NULL, NULL, 0 },
	{ 2, 35, 4, S_HOP, "assess", "phone", 0 },
	{ 2, 40, 0, S_PROPOSE, "I", "危化装置停车，存在安全生产风险", 0 },
	{ 2, 45, 4, S_HOP, "district", "phone", 0 },
	{ 2, 50, 0, S_STATUS, "assessing", "专家组电话研判", 0 },
	{ 2, 90, 0, S_STATUS, "responding", "已隔离工程师站网络", 0 },
	{ 3, 15, 6, S_OPEN, NULL, NULL, 0 },
	{ 3, 30, 0, S_PROPOSE, "III", "可能涉及重要工艺数据", 0 },
	{ 3, 45, 0, S_STATUS, "assessing", "核实外传数据内容", 0 },
	{ 4, 5, 0, S_OPEN, NULL, NULL, 0 },
	{ 5, 30, 1, S_OPEN, NULL, NULL, 0 },
	{ 5, 60, 0, S_DUP, NULL, NULL, 0 },
	{ 6, 30, 3, S_OPEN, NULL, NULL, 0 },
	{ 6, 50, 0, S_PROPOSE, "IV", "单条产线，已恢复", 0 },
	{ 6, 80, LEADER, S_CONFIRM, "IV", "同意", 0 },
	{ 6, 100, 0, S_HOP, "district", "phone", 0 },
	{ 6, 110, 0, S_STATUS, "assessing", "核对程序差异", 0 },
	{ 6, 130, 0, S_STATUS, "responding", "恢复备份程序", 0 },
	{ 6, 900, 0, S_HOP, "filing", "document", 0 },
	{ 6, 1200, 1, S_STATUS, "recovering", "产线恢复，排查篡改来源", 0 },
	{ 7, 20, 1, S_OPEN, NULL, NULL, 0 },
	{ 7, 40, 1, S_PROPOSE, "III", "扩散至生产网", 0 },
	{ 7, 60, LEADER, S_CONFIRM, "III", "同意", 0 },
	{ 7, 120, 1, S_HOP, "district", "phone", 0 },
	{ 7, 200, 1, S_HOP, "commission", "platform", 0 },
	{ 7, 70, 1, S_STATUS, "assessing", "确认感染范围", 0 },
	{ 7, 210, 1, S_STATUS, "responding", "隔离感染主机", 0 },
	{ 7, 1500, 1, S_STATUS, "recovering", "清除完毕", 0 },
	{ 7, 2400, 1, S_STATUS, "closed", "处置结束，待提交分析总结", 0 },
	{ 8, 10, 7, S_OPEN, NULL, NULL, 0 },
	{ 8, 40, 7, S_HOP, "assess", "phone", 0 },
	{ 8, 60, 7, S_STATUS, "closed", "经核实为运营商线路抖动，误报", 0 },
	{ 9, 30, 0, S_OPEN, NULL, NULL, 0 },
	{ 9, 50, 0, S_PROPOSE, "IV", "漏洞暴露面，未发现利用", 0 },
	{ 9, 70, 0, S_HOP, "district", "platform", 0 },
	{ 9, 80, 0, S_STATUS, "assessing", "转区县核实", 0 },
	{ 9, 100, 0, S_NOTE, "已通知企业在24小时内完成整改", NULL, 0 },
	{ 9, 130, 0, S_CORRECT, "更正：整改时限为48小时（见预警通报）", NULL, 0 },
	{ 9, 200, 0, S_STATUS, "responding", "企业正在升级", 0 },
	{ 10, 20, 0, S_OPEN, NULL, NULL, 0 },
	{ 10, 45, 0, S_PROPOSE, "II", "外联地址为已知攻击组织基础设施", 0 },
	{ 10, 60, 0, S_HOP, "district", "phone", 0 },
	{ 10, 70, 0, S_STATUS, "assessing", "专家组研判", 0 },
	{ 11, 20, 0, S_OPEN, NULL, NULL, 0 },
	{ 11, 40, 0, S_PROPOSE, "IV", "通信中断，未失控", 0 },
	{ 11, 60, LEADER, S_CONFIRM, "IV", "同意", 0 },
	{ 11, 90, 0, S_HOP, "district", "phone", 0 },
	{ 11, 95, 0, S_STATUS, "assessing", "排查中断原因", 0 },
	{ 11, 100, 0, S_STATUS, "responding", "启用备用通道", 0 },
	{ 11, 300, 0, S_HOP, "filing", "document", 0 },
	{ 11, 400, 0, S_STATUS, "closed", "主通道修复", 0 },
	{ 11, 1600, 0, S_SUMMARY, summary_11, NULL, 0 },
	{ 11, 1700, LEADER, S_STATUS, "reviewed", "复盘完成", 0 },
};

#define N_DEMO_STEPS (sizeof demo_steps / sizeof demo_steps[0])

/* One event to write: scripted (demo) or planned (--incidents). */
struct step {
	int64_t at;
	uint32_t inc;
	uint16_t order;         /* within the incident, to keep equal times in plan order */
	uint8_t kind, desk;
	uint8_t arg;            /* planned: tier, hop index, status */
	const struct demo_step *demo;
};

struct incident {
	char id[DD_UUID_LEN + 1];
	char note[DD_UUID_LEN + 1];   /* the last note, which a correction corrects */
	int64_t detected, opened;
	uint32_t dup_of;
	uint8_t tier;                 /* the tier whose chain is in force */
	bool cii;
	uint16_t n_steps;
	const struct demo_incident *demo;
};

struct plan {
	struct step *steps;
	size_t n, cap;
	struct incident *inc;
	size_t n_inc;
	int64_t end;
};

/* Adds a step, unless it would happen after the end of the record: what
 * has not happened yet is simply not there (and, since each incident's
 * steps are planned in time order, never leaves a gap). */
static void add(struct plan *p, uint32_t inc, int64_t at, enum step_kind kind, unsigned desk, unsigned arg,
		const struct demo_step *demo)
{
	if (at >= p->end)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->steps = realloc(p->steps, p->cap * sizeof *p->steps);
		if (!p->steps) {
			fprintf(stderr, "gen-demo: out of memory\n");
			exit(1);
		}
	}
	struct step *s = &p->steps[p->n++];
	*s = (struct step){ .at = at, .inc = inc, .order = p->inc[inc].n_steps++, .kind = (uint8_t)kind,
			    .desk = (uint8_t)desk, .arg = (uint8_t)arg, .demo = demo };
}

static int step_cmp(const void *pa, const void *pb)
{
	const struct step *a = pa, *b = pb;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->inc != b->inc)
		return a->inc < b->inc ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void plan_demo(struct plan *p)
{
	for (size_t i = 0; i < N_DEMO; i++) {
		p->inc[i].demo = &demo_incidents[i];
		p->inc[i].detected = p->end - demo_incidents[i].before_min * MIN_MS;
		p->inc[i].cii = demo_incidents[i].cii;
		choose_demo_org(i);
	}
	for (size_t i = 0; i < N_DEMO_STEPS; i++) {
		const struct demo_step *d = &demo_steps[i];
		struct incident *in = &p->inc[d->inc];
		add(p, (uint32_t)d->inc, in->detected + d->after_min * MIN_MS, d->kind, (unsigned)d->desk, 0, d);
	}
}

/* The simulated life of incident k, detected at `detected`: graded, its
 * chain reported (now and then late), handled through the statuses,
 * closed after hours, weeks or (a long investigation) not yet, then
 * summarised and reviewed; notes, corrections, reports along the way. */
static void plan_one(struct plan *p, uint32_t k, int64_t detected, const struct dd_tiers *tiers)
{
	struct incident *in = &p->inc[k];
	in->detected = detected;
	in->cii = pick(5) == 0;
	unsigned desk = pick(N_DESKS);
	int64_t open = detected + minutes(5, 30);
	in->opened = open;
	add(p, k, open, S_OPEN, desk, 0, NULL);
	/* 3 in 100 are the previous one reported again by another desk */
	if (k > 0 && pick(100) < 3) {
		in->dup_of = k - 1;
		int64_t at = open + minutes(10, 120);
		if (at <= p->inc[k - 1].opened)
			at = p->inc[k - 1].opened + MIN_MS;
		add(p, k, at, S_DUP, pick(N_DESKS), 0, NULL);
	}
	unsigned roll = pick(100);
	int tier = roll < 15 ? DD_TIER_UNASSESSED : roll < 60 ? DD_TIER_IV : roll < 85 ? DD_TIER_III
		 : roll < 97 ? DD_TIER_II : DD_TIER_I;
	int64_t chain_at = open, t = open;
	if (tier != DD_TIER_UNASSESSED) {
		chain_at = open + minutes(10, 60);
		add(p, k, chain_at, S_PROPOSE, desk, (unsigned)tier, NULL);
		if (pick(10) < 7) {
			chain_at += minutes(20, 120);
			add(p, k, chain_at, S_CONFIRM, LEADER, (unsigned)tier, NULL);
		}
	}
	/* Each hop made after the chain was set, about when it was due: one
	 * in five late, one in ten not made at all. */
	const struct dd_tier_rule *r = &tiers->tier[tier];
	int64_t made[DD_HOPS_MAX], due[DD_HOPS_MAX];
	for (int h = 0; h < r->n_hops; h++) {
		int64_t base = detected;
		for (int j = 0; j < h; j++)
			if (strcmp(r->hops[j].id, r->hops[h].after) == 0)
				base = made[j] ? made[j] : due[j];
		int64_t within = (in->cii ? r->hops[h].cii_within_min : r->hops[h].within_min) * MIN_MS;
		due[h] = base + within;
		made[h] = 0;
		if (pick(10) == 0)
			continue;
		made[h] = base + within * (int64_t)(20 + pick(105)) / 100;
		if (made[h] <= chain_at)
			made[h] = chain_at + minutes(1, 10);
		add(p, k, made[h], S_HOP, pick(N_DESKS), (unsigned)h, NULL);
	}
	/* handling: a false alarm is closed at once, the rest step through */
	int64_t closed;
	unsigned resolve = pick(100);
	if (tier == DD_TIER_UNASSESSED) {
		closed = open + minutes(60, 360);
	} else {
		static const int path[] = { DD_ST_ASSESSING, DD_ST_RESPONDING, DD_ST_RECOVERING };
		static const unsigned lo[] = { 15, 60, 360 }, hi[] = { 90, 360, 4320 };
		for (int i = 0; i < 3; i++) {
			t += minutes(lo[i], hi[i]);
			add(p, k, t, S_STATUS, desk, (unsigned)path[i], NULL);
		}
		closed = t + (resolve < 60 ? minutes(1440, 7 * 1440) : resolve < 85 ? minutes(7 * 1440, 56 * 1440)
								    : minutes(365 * 1440, 1095 * 1440));
	}
	add(p, k, closed, S_STATUS, desk, DD_ST_CLOSED, NULL);
	/* notes while it is handled (three in four have some), one in ten
	 * corrected */
	int n_notes = (int)pick(2);
	n_notes += pick(4) == 0;
	for (int n = n_notes; n > 0; n--) {
		int64_t span = (closed < open + 3 * DAY_MS ? closed : open + 3 * DAY_MS) - open;
		int64_t at = open + 1 + (int64_t)(rnd() % (uint64_t)(span > 1 ? span : 1));
		add(p, k, at, S_NOTE, pick(N_DESKS), 0, NULL);
		if (pick(10) == 0) {
			int64_t later = at + minutes(10, 120);
			add(p, k, later, S_CORRECT, pick(N_DESKS), 0, NULL);
		}
	}
	/* a first report with what is known, sometimes completed later (补报) */
	if (tier != DD_TIER_UNASSESSED && pick(10) < 7) {
		int64_t at = open + minutes(30, 120);
		add(p, k, at, S_REPORT, desk, 0, NULL);
		if (pick(10) < 4)
			add(p, k, at + minutes(180, 1440), S_REPORT, desk, 1, NULL);
	}
	if (pick(10) < 8) {
		int64_t at = closed + minutes(2 * 1440, 28 * 1440);
		add(p, k, at, S_SUMMARY, desk, 0, NULL);
		if (pick(10) < 7)
			add(p, k, at + minutes(1440, 10 * 1440), S_STATUS, LEADER, DD_ST_REVIEWED, NULL);
	}
}

/* ---- incidents: the events ----------------------------------------------- */

/* The reporting chain of tier as tiers.conf says, as incident.c records it. */
static json_t *chain_of(const struct dd_tiers *tiers, int tier, bool cii)
{
	json_t *hops = json_array();
	const struct dd_tier_rule *r = &tiers->tier[tier];
	for (int i = 0; i < r->n_hops; i++) {
		const struct dd_hop_rule *h = &r->hops[i];
		json_array_append_new(hops, json_pack("{s:s, s:s, s:i, s:s}", "id", h->id, "to", h->to, "within_min",
						      cii ? h->cii_within_min : h->within_min, "after", h->after));
	}
	return hops;
}

static json_t *time_value(int64_t ms, const char *tz)
{
	char at[DD_AT_MAX];
	time_format_rfc3339(ms, tz, at, sizeof at);
	return json_string(at);
}

static const char *const what_by_category[] = { "高危漏洞暴露面", "异常登录告警", "遭勒索软件加密", "通信中断",
						"疑似数据泄露", "异常流量" };
static const char *const reasons[] = { "影响单条产线，已恢复", "涉及重要工艺数据", "影响范围扩大至多家企业",
				       "危化装置停车，存在安全风险", "未发现实际利用" };
static const char *const status_notes[] = { "已要求企业保留日志", "技术支撑机构到场处置", "系统恢复，持续监测",
					    "处置结束", "复盘完成" };
static const char *const note_texts[] = { "已电话核实企业联络员", "已通知区县经信主管部门督促整改",
					  "企业提交初步情况说明", "专家组远程研判中" };

static json_t *planned_body(const struct plan *p, const struct step *s, struct incident *in,
			    const struct dd_tiers *tiers, const char *tz, const char **kind)
{
	switch (s->kind) {
	case S_OPEN: {
		*kind = "incident.open";
		unsigned d = pick(N_DISTRICTS), c = pick(6);
		const char *sys = PICK(systems);
		const char *ent = PICK(enterprises);
		char title[600], org[128], named[256];
		snprintf(org, sizeof org, "cq.%s.ent-%04u", district_ids[d], pick(3000));
		snprintf(named, sizeof named, "%s%s", districts[d], ent);
		/* with the org tree, one of the district's own enterprises */
		if (n_district_ents[d]) {
			const config_setting_t *o = district_ents[d][pick(n_district_ents[d])];
			const char *id = NULL, *name = NULL;
			config_setting_lookup_string(o, "id", &id);
			config_setting_lookup_string(o, "name", &name);
			snprintf(org, sizeof org, "%s", id);
			brief_name(name, named, sizeof named);
		}
		snprintf(title, sizeof title, "%s%s%s", named, sys, what_by_category[c]);
		return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:s}", "title", title, "category",
				 dd_incident_categories[c], "reporting_org", org, "objects", sys, "cii", in->cii, "detected_at",
				 time_value(in->detected, tz), "hops", chain_of(tiers, DD_TIER_UNASSESSED, in->cii), "reporter",
				 "企业应急联络员");
	}
	case S_PROPOSE:
	case S_CONFIRM:
		*kind = "incident.tier";
		in->tier = s->arg;
		return json_pack("{s:s, s:s, s:s, s:o}", "action", s->kind == S_CONFIRM ? "confirm" : "propose", "tier",
				 dd_tier_ids[s->arg], "reason", PICK(reasons), "hops", chain_of(tiers, s->arg, in->cii));
	case S_HOP: {
		*kind = "incident.hop";
		const struct dd_hop_rule *h = &tiers->tier[in->tier].hops[s->arg];
		return json_pack("{s:s, s:s, s:s, s:o}", "hop", h->id, "to", h->to, "via", dd_hop_channels[pick(3)],
				 "made_at", time_value(s->at, tz));
	}
	case S_STATUS: {
		*kind = "incident.status";
		json_t *b = json_pack("{s:s, s:s}", "to", dd_incident_statuses[s->arg], "note",
				      status_notes[s->arg == DD_ST_CLOSED ? 3 : s->arg == DD_ST_REVIEWED ? 4 : pick(3)]);
		if (s->arg == DD_ST_CLOSED)
			json_object_set_new(b, "summary_within_min", json_integer(tiers->summary_within_min));
		return b;
	}
	case S_NOTE:
		*kind = "incident.note";
		return json_pack("{s:s}", "text", PICK(note_texts));
	case S_CORRECT:
		*kind = "incident.note";
		return json_pack("{s:s, s:s}", "text", "更正：以企业书面报告为准", "corrects", in->note);
	case S_REPORT:
		*kind = "incident.report";
		return s->arg ? json_pack("{s:s, s:s, s:s}", "harm", "未造成人员伤亡和环境污染", "measures", "隔离受影响主机",
					  "support", "请求技术支撑机构协助溯源")
			      : json_pack("{s:s, s:s}", "occurred", "值守人员发现异常", "scope", "初步判断影响单个厂区");
	case S_DUP:
		*kind = "incident.duplicate";
		return json_pack("{s:s}", "of", p->inc[in->dup_of].id);
	default:
		*kind = "incident.summary";
		return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "cause", "弱口令被利用", "response", "隔离、重置口令",
				 "harm", "短时停产", "accountability", "企业信息部门", "rectification", "口令策略与访问控制",
				 "lessons", "定期开展口令审计");
	}
}

static json_t *demo_body(const struct plan *p, const struct step *s, struct incident *in,
			 const struct dd_tiers *tiers, const char *tz, const char **kind)
{
	const struct demo_step *d = s->demo;
	switch (d->kind) {
	case S_OPEN: {
		*kind = "incident.open";
		const struct demo_incident *di = in->demo;
		const struct demo_org *o = &demo_orgs[s->inc];
		char title[512];
		snprintf(title, sizeof title, di->title, o->brief);
		json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "title", title, "category",
				      di->category, "reporting_org", o->id, "objects", di->objects, "reporter", di->reporter,
				      "cii", di->cii, "detected_at", time_value(in->detected, tz), "hops",
				      chain_of(tiers, DD_TIER_UNASSESSED, di->cii));
		if (di->description)
			json_object_set_new(b, "description", json_string(di->description));
		return b;
	}
	case S_PROPOSE:
	case S_CONFIRM:
		*kind = "incident.tier";
		in->tier = (uint8_t)tier_parse(d->a);
		return json_pack("{s:s, s:s, s:s, s:o}", "action", d->kind == S_CONFIRM ? "confirm" : "propose", "tier",
				 d->a, "reason", d->b, "hops", chain_of(tiers, in->tier, in->cii));
	case S_HOP: {
		*kind = "incident.hop";
		const struct dd_tier_rule *r = &tiers->tier[in->tier];
		const char *to = "";
		for (int h = 0; h < r->n_hops; h++)
			if (strcmp(r->hops[h].id, d->a) == 0)
				to = r->hops[h].to;
		return json_pack("{s:s, s:s, s:s, s:o}", "hop", d->a, "to", to, "via", d->b, "made_at",
				 time_value(s->at, tz));
	}
	case S_STATUS: {
		*kind = "incident.status";
		json_t *b = json_pack("{s:s, s:s}", "to", d->a, "note", d->b);
		if (strcmp(d->a, "closed") == 0)
			json_object_set_new(b, "summary_within_min", json_integer(tiers->summary_within_min));
		return b;
	}
	case S_NOTE:
	case S_CORRECT: {
		/* a note's %s names the reporting org */
		char text[512];
		snprintf(text, sizeof text, d->a, demo_orgs[s->inc].name);
		*kind = "incident.note";
		return d->kind == S_NOTE ? json_pack("{s:s}", "text", text)
					 : json_pack("{s:s, s:s}", "text", text, "corrects", in->note);
	}
	case S_DUP:
		*kind = "incident.duplicate";
		return json_pack("{s:s}", "of", p->inc[d->ref].id);
	default:
		*kind = d->kind == S_REPORT ? "incident.report" : "incident.summary";
		return json_loads(d->a, 0, NULL);
	}
}

static int emit_step(struct plan *p, const struct step *s, uint64_t *hlc, const struct dd_tiers *tiers,
		     const char *tz)
{
	struct incident *in = &p->inc[s->inc];
	if (s->kind == S_OPEN)
		seeded_uuid7(s->at, in->id);
	const char *kind;
	json_t *body = s->demo ? demo_body(p, s, in, tiers, tz, &kind) : planned_body(p, s, in, tiers, tz, &kind);
	if (body)
		json_object_set_new(body, "v", json_integer(1));
	char id[DD_UUID_LEN + 1];
	int rc = emit(&desks[s->desk], s->at, hlc, kind, in->id, body, tz, id);
	/* a correction corrects the last note, or the open when there is none */
	if (rc == 0 && (s->kind == S_OPEN || s->kind == S_NOTE))
		memcpy(in->note, id, sizeof in->note);
	return rc;
}

/* ---- a protection period and its zero reports -------------------------- */

#define PERIOD_TIMES 2
static const char *const period_times[PERIOD_TIMES] = { "09:00", "16:00" };
static const int period_minutes[PERIOD_TIMES] = { 9 * 60, 16 * 60 };
#define PERIOD_GRACE 30
/* The district desks (desks[3..6]) and the districts the period covers. */
#define FIRST_DISTRICT_DESK 3
#define N_PERIOD_DISTRICTS 4

/* The instant of local minute min of the local day holding day_ms. */
static int64_t local_at(int64_t day_ms, int min, const char *tz)
{
	int64_t wall = (time_local_day(day_ms, tz) * 1440 + min) * MIN_MS;
	return wall - time_offset_min(wall, tz) * MIN_MS;
}

/* The desk of the district org lies in, or -1 outside the period. */
static int desk_of(const char *org)
{
	for (int i = 0; i < N_PERIOD_DISTRICTS; i++) {
		const char *d = desks[FIRST_DISTRICT_DESK + i].org;
		size_t n = strlen(d);
		if (strncmp(org, d, n) == 0 && (org[n] == '\0' || org[n] == '.'))
			return FIRST_DISTRICT_DESK + i;
	}
	return -1;
}

static bool reporting_kind(const char *kind)
{
	return strncmp(kind, "ent-", 4) == 0 || strcmp(kind, "district") == 0 || strcmp(kind, "county") == 0 ||
	       strcmp(kind, "autonomous-county") == 0 || strcmp(kind, "zone") == 0;
}

/* list: the org tree file's orgs, NULL when it has none. */
static int emit_period(const config_setting_t *list, int64_t end_ms, uint64_t *hlc, const char *tz)
{
	int64_t start = local_at(end_ms - 3 * DAY_MS, 0, tz), end = local_at(end_ms + 7 * DAY_MS, 23 * 60 + 59, tz);
	char id[DD_UUID_LEN + 1];
	seeded_uuid7(start, id);
	json_t *scope = json_array(), *times = json_array();
	for (int i = 0; i < N_PERIOD_DISTRICTS; i++)
		json_array_append_new(scope, json_string(desks[FIRST_DISTRICT_DESK + i].org));
	for (int i = 0; i < PERIOD_TIMES; i++)
		json_array_append_new(times, json_string(period_times[i]));
	json_t *body = json_pack("{s:i, s:s, s:s, s:o, s:o, s:i, s:b, s:b, s:b, s:o, s:o}", "v", 1, "name",
				 "西部国际博览会重保", "tz", tz, "scope", scope, "times", times, "grace_min", PERIOD_GRACE,
				 "zero", 1, "watch", 1, "freeze", 1, "start", time_value(start, tz), "end", time_value(end, tz));
	int rc = emit(&desks[0], start, hlc, "period.set", id, body, tz, NULL);
	/* Every report time up to the end, day by day; each org's fate in a
	 * slot comes from its place in the list, the day and the time, so the
	 * same tree gives the same reports. */
	for (int day = 0; rc == 0 && day <= 3; day++)
		for (int k = 0; rc == 0 && k < PERIOD_TIMES; k++) {
			int64_t slot = local_at(start + day * DAY_MS + 12 * HOUR_MS, period_minutes[k], tz);
			if (slot - 6 * HOUR_MS > end_ms)
				continue;
			for (int i = 0; rc == 0 && list && i < config_setting_length(list); i++) {
				const config_setting_t *o = config_setting_get_elem(list, (unsigned)i);
				const char *org = NULL, *kind = NULL;
				config_setting_lookup_string(o, "id", &org);
				config_setting_lookup_string(o, "kind", &kind);
				int d = org && kind && reporting_kind(kind) ? desk_of(org) : -1;
				if (d < 0)
					continue;
				unsigned fate = (unsigned)(i * 7 + day * 3 + k * 5) % 11;
				int64_t at = fate == 1 ? slot + (PERIOD_GRACE + 10 + i * 13 % 90) * MIN_MS
							: slot - (20 + i * 37 % 200) * MIN_MS;
				if (fate == 0 || at > end_ms - MIN_MS)
					continue;   /* missing, or not made yet */
				bool own = strcmp(org, desks[d].org) == 0;
				char slot_at[DD_AT_MAX], rid[DD_UUID_LEN + 1];
				time_format_rfc3339(slot, tz, slot_at, sizeof slot_at);
				seeded_uuid7(at, rid);
				rc = emit(&desks[d], at, hlc, "zero.report", rid,
					  json_pack("{s:i, s:s, s:s, s:s, s:b, s:s}", "v", 1, "period", id, "org", org, "slot",
						    slot_at, "nil", 1, "via", own ? "console" : "phone"),
					  tz, NULL);
			}
		}
	return rc;
}

/* ---- advisories and their answers --------------------------------------- */

/* The commission's desk only issues advisories, so it stays out of desks[]
 * (whose desks also write the shift log); its origin is drawn when the
 * advisories are written, last, so every event before keeps its id. */
static struct desk commission = { "谭军", "cq", "", 0, "" };

#define DEMO_TO_MAX 8

/* A scripted advisory, issued at local minute at_min of the local day
 * `day` days before the end's and due at due_min of the day due_day days
 * after it (negative: before).  It goes to `to`, or with to_kind to the
 * first DEMO_TO_MAX orgs of that kind in the tree.  Of every ten
 * recipients `reported` acknowledge and report, `acked` acknowledge at
 * all; the first reporting recipient and every affected_every-th after
 * it are affected (0: none), and their measures say so. */
struct demo_advisory {
	struct desk *desk;
	const char *level, *title, *products, *action;
	int day, at_min, due_day, due_min;
	const char *to_kind;
	const char *to[DEMO_TO_MAX];
	int acked, reported, affected_every;
	const char *affected_measures, *clean_measures;
};

/* desks[6] is 九龙坡区's desk: a district office warns its own enterprises. */
static const struct demo_advisory demo_advisories[] = {
	{ &commission, "orange", "关于防范针对工业互联网平台的勒索软件攻击活动的预警通报",
	  "工业互联网平台对外暴露的管理后台、远程运维VPN和边缘网关；Windows服务器远程桌面（RDP）",
	  "近期有勒索软件团伙利用弱口令和VPN漏洞攻击工业互联网平台企业，加密平台数据库和工业APP配置并窃取数据。"
	  "请各平台企业立即：一、排查对外暴露的管理端口和远程运维账号，关闭不必要的服务，启用双因素认证；"
	  "二、对核心数据和平台配置进行离线备份，并验证可以恢复；三、加强登录和横向移动监测，发现加密或勒索迹象"
	  "立即隔离受影响主机，按规定报告；四、于期限前报送自查情况。",
	  3, 15 * 60 + 20, -1, 18 * 60, "ent-platform", { NULL }, 7, 5, 2,
	  "发现1台运维跳板机远程桌面对外开放且为弱口令，已关闭外网访问、重置口令并启用双因素认证；"
	  "核心数据库已完成离线备份和恢复演练",
	  "经自查，平台管理后台仅限内网访问，远程运维均经VPN和双因素认证，未发现异常登录；已完成核心数据离线备份" },
	{ &desks[0], "red", "关于某品牌PLC及SCADA组态软件存在高危漏洞的预警通报",
	  "某品牌（虚构）KX系列PLC固件V2.0至V3.4、该品牌SCADA组态软件V7.0至V7.3；"
	  "CVE-2026-24017（PLC未授权远程代码执行，CVSS 9.8）、CVE-2026-24018（SCADA认证绕过，CVSS 8.8），编号为虚构",
	  "据工业和信息化部通报，上述漏洞可被远程利用篡改PLC程序或控制生产过程，已出现公开利用代码。请各区县经信"
	  "主管部门立即转发辖区有关企业，企业立即排查在用型号和版本：一、限制工程师站和PLC编程端口（TCP 102、502）"
	  "的访问来源，断开不必要的远程访问；二、重保时期原则上不对重要保护对象升级，确需升级修复的，先报市工信安全"
	  "发展中心并做好回退准备；三、加强对PLC程序变更和异常指令的监测；四、于期限前报送自查情况。",
	  1, 10 * 60 + 15, 1, 18 * 60, NULL, { "cq.yubei", "cq.liangjiang", "cq.fuling", "cq.jiulongpo" }, 8, 4, 5,
	  "在用2台KX系列PLC（固件V3.2），已在防火墙上限制编程端口仅允许工程师站访问，断开厂商远程维护通道；"
	  "固件升级计划于重保结束后实施，已报中心备案",
	  "经自查，本单位未使用该品牌PLC及SCADA组态软件，不受影响；已复核工控网边界访问控制策略" },
	{ &desks[0], "blue", "关于做好西部国际博览会重保时期工业信息安全保障工作的提示", NULL,
	  "西部国际博览会重保时期，请各区县经信主管部门和主体企业：一、实行24小时零报告制度，每日09:00、16:00前"
	  "报送；二、重点单位、重要部位实施24小时值守，保持通信联络畅通；三、原则上不对重要工业信息安全保护对象进行"
	  "调整或升级；四、加强安全监测、预警和风险研判，可能造成重大影响的风险和事件信息第一时间上报。"
	  "请于期限前报送值守安排和自查情况。",
	  3, 8 * 60 + 30, 1, 12 * 60, NULL, { "cq.yubei", "cq.liangjiang", "cq.fuling", "cq.jiulongpo" }, 6, 2, 0,
	  NULL, "已落实24小时值守，值班电话已报区县经信主管部门；重要保护对象变更冻结至重保结束，零报告按时报送" },
	{ &desks[6], "yellow", "关于排查MES及工控主机远程运维通道弱口令的风险提示",
	  "MES服务器、工控主机上的第三方远程控制软件和外包运维账号",
	  "近期本市发生外包运维账号弱口令被利用、境外IP登录SCADA服务器的事件。请辖区各企业：一、清理外包和厂商"
	  "运维账号，启用强口令和双因素认证；二、卸载或禁用工控主机上不必要的远程控制软件；三、远程运维通道限定来源"
	  "地址并全程审计；四、于期限前报送自查情况。",
	  2, 14 * 60, 2, 17 * 60, NULL, { "cq.jiulongpo" }, 3, 1, 2,
	  "清理出3个离职外包人员账号，已停用；2台工控主机卸载远程控制软件，运维改经堡垒机审计",
	  "经自查，运维账号均为强口令且已启用双因素认证，工控主机未安装远程控制软件" },
};

#define N_DEMO_ADVISORIES (sizeof demo_advisories / sizeof demo_advisories[0])

/* The advisory's `to`, as the console would accept it: orgs of the tree
 * only. */
static json_t *advisory_to(const struct demo_advisory *a, const config_setting_t *list)
{
	json_t *to = json_array();
	for (int i = 0; list && i < config_setting_length(list) && json_array_size(to) < DEMO_TO_MAX; i++) {
		const config_setting_t *o = config_setting_get_elem(list, (unsigned)i);
		const char *org = NULL, *kind = NULL;
		config_setting_lookup_string(o, "id", &org);
		config_setting_lookup_string(o, "kind", &kind);
		if (!org || !kind || setting_bool(o, "retired"))
			continue;
		bool named = false;
		for (int k = 0; k < DEMO_TO_MAX && a->to[k]; k++)
			named = named || strcmp(a->to[k], org) == 0;
		if (named || (a->to_kind && strcmp(a->to_kind, kind) == 0))
			json_array_append_new(to, json_string(org));
	}
	return to;
}

/* Whether org is a recipient of an advisory issued by issuer to `to`, as
 * store_advisory.c counts them. */
static bool advisory_recipient(const char *org, const char *kind, const char *issuer, const json_t *to)
{
	if (!reporting_kind(kind) || strcmp(org, issuer) == 0)
		return false;
	for (size_t k = 0; k < json_array_size(to); k++) {
		const char *p = json_string_value(json_array_get(to, k));
		size_t n = strlen(p);
		if (strncmp(org, p, n) == 0 && (org[n] == '\0' || org[n] == '.'))
			return true;
	}
	return false;
}

/* The recipients' answers, taken by phone at their district's desk, or at
 * the centre for the districts without one; each recipient's fate comes
 * from its place in the tree and the advisory, and an answer is written
 * only when made by the end. */
static int emit_answers(int n, const struct demo_advisory *a, const char *id, int64_t issued, const json_t *to,
			const config_setting_t *list, int64_t end_ms, uint64_t *hlc, const char *tz)
{
	int rc = 0;
	for (int i = 0, r = 0, reports = 0; rc == 0 && i < config_setting_length(list); i++) {
		const config_setting_t *o = config_setting_get_elem(list, (unsigned)i);
		const char *org = NULL, *kind = NULL;
		config_setting_lookup_string(o, "id", &org);
		config_setting_lookup_string(o, "kind", &kind);
		if (!org || !kind || setting_bool(o, "retired") || !advisory_recipient(org, kind, a->desk->org, to))
			continue;
		int k = r++;
		int fate = (k * 7 + n * 3) % 10;
		int64_t acked = issued + (25 + k * 37 % 240) * MIN_MS;
		int64_t reported = acked + (90 + k * 53 % 900) * MIN_MS;
		if (fate >= a->acked || acked > end_ms - MIN_MS)
			continue;
		int d = desk_of(org);
		struct desk *by = d < 0 ? &desks[1] : &desks[d];
		rc = emit(by, acked, hlc, "advisory.ack", id, json_pack("{s:i, s:s}", "v", 1, "org", org), tz, NULL);
		if (rc || fate >= a->reported || reported > end_ms - MIN_MS)
			continue;
		bool affected = a->affected_every && reports++ % a->affected_every == 0;
		rc = emit(by, reported, hlc, "advisory.report", id,
			  json_pack("{s:i, s:s, s:b, s:s, s:o}", "v", 1, "org", org, "affected", affected, "measures",
				    affected ? a->affected_measures : a->clean_measures, "done_at",
				    time_value(reported - (10 + k % 30) * MIN_MS, tz)),
			  tz, NULL);
	}
	return rc;
}

static int emit_advisories(const config_setting_t *list, int64_t end_ms, uint64_t *hlc, const char *tz)
{
	seeded_uuid7(1700000000000 + (int64_t)N_DESKS, commission.origin);
	memcpy(commission.head, DD_GENESIS_PREV, sizeof commission.head);
	int rc = 0;
	for (size_t n = 0; rc == 0 && n < N_DEMO_ADVISORIES; n++) {
		const struct demo_advisory *a = &demo_advisories[n];
		json_t *to = advisory_to(a, list);
		if (json_array_size(to) == 0) {
			json_decref(to);
			continue;   /* a tree without the orgs it is meant for */
		}
		int64_t issued = local_at(end_ms - a->day * DAY_MS, a->at_min, tz);
		int64_t due = local_at(end_ms + a->due_day * DAY_MS, a->due_min, tz);
		char id[DD_UUID_LEN + 1];
		seeded_uuid7(issued, id);
		json_t *body = json_pack("{s:i, s:s, s:s, s:s, s:o, s:O}", "v", 1, "title", a->title, "level", a->level,
					 "action", a->action, "deadline", time_value(due, tz), "to", to);
		if (body && a->products)
			json_object_set_new(body, "products", json_string(a->products));
		rc = emit(a->desk, issued, hlc, "advisory.issue", id, body, tz, NULL);
		if (rc == 0)
			rc = emit_answers((int)n, a, id, issued, to, list, end_ms, hlc, tz);
		json_decref(to);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' }, { "days", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' }, { "end", required_argument, NULL, 'e' },
		{ "tz", required_argument, NULL, 'z' },   { "incidents", required_argument, NULL, 'i' },
		{ "tiers", required_argument, NULL, 't' }, { "orgs", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = 42;
	long days = 4, count = 0, incidents = -1;
	const char *end = NULL, *tz = DD_DEFAULT_TZ, *tiers_path = "data/tiers.conf", *orgs_path = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'd': days = strtol(optarg, NULL, 10); break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case 'e': end = optarg; break;
		case 'z': tz = optarg; break;
		case 'i': incidents = strtol(optarg, NULL, 10); break;
		case 't': tiers_path = optarg; break;
		case 'o': orgs_path = optarg; break;
		default:
			fprintf(stderr, "usage: gen-demo [--seed N] [--days N] [--count N] [--end TIME] [--tz ZONE]\n"
					"                [--incidents N] [--tiers FILE] [--orgs FILE]\n"
					"  without --incidents: a dozen scripted incidents; --incidents 0: none\n"
					"  --orgs: incidents reported by that tree's enterprises, also a protection\n"
					"          period with zero reports of its orgs, and advisories to them\n"
					"          with their answers\n");
			return 2;
		}
	}
	struct dd_error err;
	int64_t end_ms = time_now_ms();
	if (end && time_parse(end, end_ms, tz, &end_ms, &err) != 0) {
		fprintf(stderr, "gen-demo: --end: %s\n", err.msg);
		return 2;
	}
	if (days < 1 || count < 0 || incidents < -1 || incidents > 10000000) {
		fprintf(stderr, "gen-demo: --days must be ≥ 1, --count ≥ 0 and --incidents from 0 to 10000000\n");
		return 2;
	}
	struct dd_tiers tiers;
	if (incidents != 0 && tiers_load(tiers_path, &tiers, &err) != 0) {
		fprintf(stderr, "gen-demo: %s\n", err.msg);
		return 2;
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	for (size_t i = 0; i < N_DESKS; i++) {
		seeded_uuid7(1700000000000 + (int64_t)i, desks[i].origin);
		memcpy(desks[i].head, DD_GENESIS_PREV, sizeof desks[i].head);
	}
	int64_t span = days * DAY_MS;
	/* The org tree is read first: the incidents are reported by its
	 * enterprises. */
	config_t cf;
	config_init(&cf);
	if (orgs_path && config_read_file(&cf, orgs_path) != CONFIG_TRUE) {
		fprintf(stderr, "gen-demo: %s:%d: %s\n", orgs_path, config_error_line(&cf), config_error_text(&cf));
		config_destroy(&cf);
		return 1;
	}
	tree = orgs_path ? config_lookup(&cf, "orgs") : NULL;
	list_district_ents();

	/* Incidents are planned first, then written in time order among the
	 * shift log's entries. */
	struct plan plan = { .end = end_ms };
	plan.n_inc = incidents < 0 ? N_DEMO : (size_t)incidents;
	plan.inc = calloc(plan.n_inc ? plan.n_inc : 1, sizeof *plan.inc);
	if (!plan.inc) {
		fprintf(stderr, "gen-demo: out of memory\n");
		config_destroy(&cf);
		return 1;
	}
	if (incidents < 0)
		plan_demo(&plan);
	for (long k = 0; k < incidents; k++)
		plan_one(&plan, (uint32_t)k, end_ms - span + span * k / incidents + (int64_t)(rnd() % (uint64_t)HOUR_MS),
			 &tiers);
	if (plan.n)
		qsort(plan.steps, plan.n, sizeof *plan.steps, step_cmp);

	/* About one entry every 25 minutes, unless --count: entry i at a
	 * random time of the i-th of `total` equal slots, so they spread to
	 * the end of the record, never after a minute before it. */
	long total = count ? count : days * 58;
	int64_t step = span / total;
	uint64_t hlc = 0;
	size_t next = 0;
	char text[512];
	int rc = 0;
	for (long i = 0; i < total && rc == 0; i++) {
		int64_t t = end_ms - span + step * i + (int64_t)(rnd() % (uint64_t)(step > 1 ? step : 1));
		if (t > end_ms - MIN_MS)
			t = end_ms - MIN_MS;
		while (rc == 0 && next < plan.n && plan.steps[next].at <= t)
			rc = emit_step(&plan, &plan.steps[next++], &hlc, &tiers, tz);
		struct desk *d = &desks[pick(N_DESKS)];
		unsigned roll = pick(100);
		const char *kind;
		if (roll < 32) {
			kind = "call-in";
			fill(text, sizeof text, PICK(call_in));
		} else if (roll < 52) {
			kind = "call-out";
			fill(text, sizeof text, PICK(call_out));
		} else if (roll < 77) {
			kind = "action";
			fill(text, sizeof text, PICK(actions));
		} else if (roll < 97) {
			kind = "note";
			fill(text, sizeof text, PICK(notes));
		} else {
			kind = "handover";
			unsigned in_hand = pick(4);
			unsigned missing = pick(9);
			snprintf(text, sizeof text, "交班：在办事件%u起，待报零报告%u家，已报带班领导%s", in_hand, missing,
				 desks[LEADER].officer);
		}
		if (rc == 0)
			rc = emit(d, t, &hlc, "log.entry", "", json_pack("{s:i, s:s, s:s}", "v", 1, "kind", kind, "text", text),
				  tz, NULL);
	}
	while (rc == 0 && next < plan.n)
		rc = emit_step(&plan, &plan.steps[next++], &hlc, &tiers, tz);
	if (rc == 0 && orgs_path)
		rc = emit_period(tree, end_ms, &hlc, tz);
	if (rc == 0 && tree)
		rc = emit_advisories(tree, end_ms, &hlc, tz);
	config_destroy(&cf);
	free(plan.steps);
	free(plan.inc);
	if (rc)
		return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}
