/*
 * gen_demo.c — writes a realistic, deterministic shift log as JSON lines
 * of events (one per line), for `dutydesk import`: the demo database of
 * `make run` and the benchmarks' large logs.
 *
 * Same seed, same end time, same bytes: ids, origins and texts all come
 * from one seeded generator, and every event is sealed by the real codec,
 * so the output also exercises the chain rules it will be checked against.
 * People, enterprises and phone numbers are fictional.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dutydesk/event.h"
#include "dutydesk/timefmt.h"

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

static struct desk desks[] = {
	{ "张伟", "cq.center", "", 0, "" },   { "李娜", "cq.center", "", 0, "" },
	{ "赵磊", "cq.center", "", 0, "" },   { "王强", "cq.yubei", "", 0, "" },
	{ "刘洋", "cq.liangjiang", "", 0, "" }, { "陈静", "cq.fuling", "", 0, "" },
	{ "周敏", "cq.jiulongpo", "", 0, "" },  { "Tom Li", "cq.center", "", 0, "" },
};

#define N_DESKS (sizeof desks / sizeof desks[0])

static const char *const districts[] = { "渝北区", "两江新区", "涪陵区", "九龙坡区", "江津区",
					 "长寿区", "璧山区", "永川区", "万州区", "西部科学城重庆高新区" };
static const char *const enterprises[] = {
	"某汽车零部件公司（虚构）", "某电子材料厂（虚构）", "某水务公司（虚构）",
	"某燃气公司（虚构）",       "某电力公司（虚构）",   "某工业互联网平台企业（虚构）",
	"某化工企业（虚构）",       "某笔电代工厂（虚构）", "某标识解析二级节点（虚构）",
};
static const char *const systems[] = { "PLC", "SCADA", "DCS", "MES", "工业互联网平台", "标识解析节点",
				       "HMI 工作站", "数据中心" };
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
	"%s零报告已收齐，%s、%s待核",
	"系统巡检正常；%s %s %s 监测无告警",
	"值班电话测试正常（%s、%s、%s）",
	"Night check: all %s %s %s feeds green",
};

static void fill(char *buf, size_t n, const char *tmpl)
{
	snprintf(buf, n, tmpl, PICK(districts), PICK(enterprises), PICK(systems));
}

static int emit(struct desk *d, int64_t at_ms, uint64_t *hlc, const char *kind, const char *text,
		const char *tz)
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
	snprintf(ev.kind, sizeof ev.kind, "log.entry");
	snprintf(ev.prev, sizeof ev.prev, "%s", d->head);
	ev.body = json_pack("{s:i, s:s, s:s}", "v", 1, "kind", kind, "text", text);
	struct dd_error err;
	char *line = NULL;
	int rc = ev.body ? event_seal(&ev, &err) : -1;
	if (rc == 0)
		rc = event_validate(&ev, true, &err);
	if (rc == 0)
		rc = event_encode(&ev, &line, NULL, &err);
	if (rc == 0) {
		puts(line);
		memcpy(d->head, ev.hash, sizeof d->head);
	} else {
		fprintf(stderr, "gen-demo: %s\n", err.msg);
	}
	free(line);
	event_free(&ev);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' }, { "days", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' }, { "end", required_argument, NULL, 'e' },
		{ "tz", required_argument, NULL, 'z' },   { NULL, 0, NULL, 0 },
	};
	uint64_t seed = 42;
	long days = 4, count = 0;
	const char *end = NULL, *tz = DD_DEFAULT_TZ;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'd': days = strtol(optarg, NULL, 10); break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case 'e': end = optarg; break;
		case 'z': tz = optarg; break;
		default:
			fprintf(stderr, "usage: gen-demo [--seed N] [--days N] [--count N] [--end TIME] [--tz ZONE]\n");
			return 2;
		}
	}
	struct dd_error err;
	int64_t end_ms = time_now_ms();
	if (end && time_parse(end, end_ms, tz, &end_ms, &err) != 0) {
		fprintf(stderr, "gen-demo: --end: %s\n", err.msg);
		return 2;
	}
	if (days < 1 || count < 0) {
		fprintf(stderr, "gen-demo: --days must be ≥ 1 and --count ≥ 0\n");
		return 2;
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	for (size_t i = 0; i < N_DESKS; i++) {
		seeded_uuid7(1700000000000 + (int64_t)i, desks[i].origin);
		memcpy(desks[i].head, DD_GENESIS_PREV, sizeof desks[i].head);
	}
	/* About one entry every 25 minutes, busier by day, unless --count. */
	long total = count ? count : days * 58;
	int64_t span = days * 86400000LL;
	int64_t step = span / total;
	int64_t t = end_ms - span;
	uint64_t hlc = 0;
	char text[512];
	for (long i = 0; i < total; i++) {
		t += step / 2 + (int64_t)(rnd() % (uint64_t)(step > 1 ? step : 1));
		if (t > end_ms - 60000)
			t = end_ms - 60000 + i % 60000;
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
			snprintf(text, sizeof text, "交班：在办事件%u起，待报零报告%u家，已交代%s带班领导", pick(4),
				 pick(9), d->officer);
		}
		if (emit(d, t, &hlc, kind, text, tz) != 0)
			return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
