/*
 * gen_orgs.c — writes data/orgs/chongqing.conf: the real structure of
 * Chongqing's industrial information security duty system (the
 * commission, the centre, the expert group, all 38 districts and
 * counties, 两江新区, 西部科学城重庆高新区 and 万盛经开区, and the external
 * bodies of art. 27–28, as in the public reference list) plus a sample
 * of FICTIONAL enterprises, support organisations, liaisons, phone
 * numbers and protected objects.
 *
 * Invariant: the output is a pure function of the arguments (a fixed
 * linear congruential generator, no clock, no locale), so the checked-in
 * file can be regenerated and compared byte for byte:
 *
 *   make orgs                                    (rewrites data/orgs/chongqing.conf)
 *   build/gen-orgs > data/orgs/chongqing.conf    (the same)
 *   build/gen-orgs --enterprises 10000 --csv roster > roster.csv   (bench data)
 *
 * Every person is named "…（虚构）", every enterprise "…有限公司（虚构）",
 * mobile numbers are 1380000xxxx / 1390000xxxx, landlines 023-6000xxxx
 * and e-mail is @example.com (RFC 2606): none of it is anyone's.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct real_org {
	const char *id, *name, *kind, *en;
};

/* From reference/chongqing-orgs.tsv (public facts). */
static const struct real_org real[] = {
	{ "cq", "重庆市经济和信息化委员会（市经济信息委）", "commission",
	  "Chongqing Municipal Commission of Economy and Information Technology" },
	{ "cq.center", "重庆市工业信息安全发展中心（市工信安全发展中心）", "centre",
	  "Chongqing Industrial Information Security Development Centre" },
	{ "cq.expert", "重庆市工业信息安全应急专家组", "expert-group", "Chongqing Industrial Information Security Expert Group" },
	{ "cq.wanzhou", "万州区", "district", "Wanzhou District" },
	{ "cq.qianjiang", "黔江区", "district", "Qianjiang District" },
	{ "cq.fuling", "涪陵区", "district", "Fuling District" },
	{ "cq.yuzhong", "渝中区", "district", "Yuzhong District" },
	{ "cq.dadukou", "大渡口区", "district", "Dadukou District" },
	{ "cq.jiangbei", "江北区", "district", "Jiangbei District" },
	{ "cq.shapingba", "沙坪坝区", "district", "Shapingba District" },
	{ "cq.jiulongpo", "九龙坡区", "district", "Jiulongpo District" },
	{ "cq.nanan", "南岸区", "district", "Nan'an District" },
	{ "cq.beibei", "北碚区", "district", "Beibei District" },
	{ "cq.yubei", "渝北区", "district", "Yubei District" },
	{ "cq.banan", "巴南区", "district", "Banan District" },
	{ "cq.changshou", "长寿区", "district", "Changshou District" },
	{ "cq.jiangjin", "江津区", "district", "Jiangjin District" },
	{ "cq.hechuan", "合川区", "district", "Hechuan District" },
	{ "cq.yongchuan", "永川区", "district", "Yongchuan District" },
	{ "cq.nanchuan", "南川区", "district", "Nanchuan District" },
	{ "cq.qijiang", "綦江区", "district", "Qijiang District" },
	{ "cq.dazu", "大足区", "district", "Dazu District" },
	{ "cq.bishan", "璧山区", "district", "Bishan District" },
	{ "cq.tongliang", "铜梁区", "district", "Tongliang District" },
	{ "cq.tongnan", "潼南区", "district", "Tongnan District" },
	{ "cq.rongchang", "荣昌区", "district", "Rongchang District" },
	{ "cq.kaizhou", "开州区", "district", "Kaizhou District" },
	{ "cq.liangping", "梁平区", "district", "Liangping District" },
	{ "cq.wulong", "武隆区", "district", "Wulong District" },
	{ "cq.chengkou", "城口县", "county", "Chengkou County" },
	{ "cq.fengdu", "丰都县", "county", "Fengdu County" },
	{ "cq.dianjiang", "垫江县", "county", "Dianjiang County" },
	{ "cq.zhongxian", "忠县", "county", "Zhong County" },
	{ "cq.yunyang", "云阳县", "county", "Yunyang County" },
	{ "cq.fengjie", "奉节县", "county", "Fengjie County" },
	{ "cq.wushan", "巫山县", "county", "Wushan County" },
	{ "cq.wuxi", "巫溪县", "county", "Wuxi County" },
	{ "cq.shizhu", "石柱土家族自治县", "autonomous-county", "Shizhu Tujia Autonomous County" },
	{ "cq.xiushan", "秀山土家族苗族自治县", "autonomous-county", "Xiushan Tujia and Miao Autonomous County" },
	{ "cq.youyang", "酉阳土家族苗族自治县", "autonomous-county", "Youyang Tujia and Miao Autonomous County" },
	{ "cq.pengshui", "彭水苗族土家族自治县", "autonomous-county", "Pengshui Miao and Tujia Autonomous County" },
	{ "cq.liangjiang", "两江新区", "zone", "Liangjiang New Area" },
	{ "cq.gaoxin", "西部科学城重庆高新区", "zone", "Chongqing High-tech Zone, Western (Chongqing) Science City" },
	{ "cq.wansheng", "万盛经济技术开发区", "zone", "Wansheng Economic and Technological Development Zone" },
	{ "ext.cac", "中共重庆市委网络安全和信息化委员会办公室（市委网信办）", "external",
	  "Cyberspace Administration Office of the CPC Chongqing Municipal Committee" },
	{ "ext.emergency", "重庆市应急管理局", "external", "Chongqing Emergency Management Bureau" },
	{ "ext.police", "重庆市公安局", "external", "Chongqing Public Security Bureau" },
	{ "ext.crypto", "重庆市密码管理局", "external", "Chongqing Cryptography Administration" },
	{ "ext.finance", "重庆市财政局", "external", "Chongqing Finance Bureau" },
	{ "ext.press", "重庆市人民政府新闻办公室（市政府新闻办）", "external", "Information Office of the Chongqing Municipal Government" },
	{ "ext.telecom", "重庆市通信管理局", "external", "Chongqing Communications Administration" },
	{ "ext.miit", "中华人民共和国工业和信息化部", "external", "Ministry of Industry and Information Technology" },
};
#define N_REAL (sizeof real / sizeof real[0])
#define FIRST_DISTRICT 3
#define N_DISTRICTS 41

/* Fictional support organisations (技术支撑机构, art. 14). */
static const char *const support[][2] = {
	{ "cq.support.anlan", "安澜工控安全技术有限公司（虚构）" },
	{ "cq.support.jianxin", "鉴信网络安全测评中心（虚构）" },
	{ "cq.support.yunshou", "云守工业互联网安全研究院（虚构）" },
};

static uint64_t rng = 20240615;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
					"朱", "胡", "郭", "何", "罗", "郑", "谢", "唐", "冉", "谭", "邓", "彭", "曾" };
static const char *const given[] = { "建国", "晓燕", "志强", "丽娟", "海涛", "春梅", "文博", "雪莲", "国庆",
				     "静怡", "宏伟", "玉兰", "俊杰", "思远", "红霞", "明辉", "嘉琪", "德华",
				     "小川", "永红", "秋月", "立新", "子涵", "伟", "敏", "军", "芳", "勇" };
static const char *const trade[] = { "恒川", "澄江", "锦岳", "瑞泓", "峻岚", "祥渝", "远帆", "宏巴", "金缙",
				     "云岭", "青崖", "明溪", "汇峡", "长嘉", "益丰", "鼎盛", "华蓥", "天府" };
struct industry {
	const char *kind, *word;
};
static const struct industry industries[] = {
	{ "ent-industrial", "精密机械" }, { "ent-industrial", "汽车零部件" }, { "ent-industrial", "电子材料" },
	{ "ent-industrial", "化工" },     { "ent-industrial", "装备制造" },   { "ent-industrial", "摩托车" },
	{ "ent-industrial", "制药" },     { "ent-service", "工业设计" },      { "ent-service", "物流" },
	{ "ent-platform", "工业互联网" }, { "ent-infrastructure", "数据中心" }, { "ent-utility", "水务" },
	{ "ent-utility", "燃气" },        { "ent-utility", "供电" },
};
#define N_IND (sizeof industries / sizeof industries[0])

struct object_kind {
	const char *kind, *name;
};
static const struct object_kind ics_objects[] = {
	{ "ics", "生产线DCS控制系统" }, { "ics", "SCADA调度系统" }, { "ics", "MES制造执行系统" },
	{ "ics", "PLC控制网络" },      { "ics", "能源管理系统" },  { "ics", "安全仪表系统" },
};

static char person_buf[96], last_people[2][96];

/* A fictional name, never one of the two before it: an org's contacts
 * are told apart by name. */
static const char *person(void)
{
	do
		snprintf(person_buf, sizeof person_buf, "%s%s（虚构）", surnames[pick(sizeof surnames / sizeof *surnames)],
			 given[pick(sizeof given / sizeof *given)]);
	while (strcmp(person_buf, last_people[0]) == 0 || strcmp(person_buf, last_people[1]) == 0);
	memcpy(last_people[1], last_people[0], sizeof last_people[0]);
	memcpy(last_people[0], person_buf, sizeof last_people[0]);
	return person_buf;
}

static unsigned phone_seq;

static void conf_liaison(FILE *out, const char *role, const char *title, bool mobile, bool first)
{
	unsigned n = phone_seq++;
	fprintf(out, "%s      { role = \"%s\"; name = \"%s\"; title = \"%s\";", first ? "" : ",\n", role, person(), title);
	fprintf(out, " office = \"023-6000%04u\";", n % 10000);
	if (mobile)
		fprintf(out, " mobile = \"13%c0000%04u\";", n / 10000 % 2 ? '9' : '8', n % 10000);
	fprintf(out, " email = \"liaison%u@example.com\"; }", n);
}

/* An org's liaisons: the lead and one or two contacts; gap marks the
 * seeded gaps the demo's `roster lint` finds. */
static void conf_liaisons(FILE *out, int gap)
{
	fputs("\n    liaisons = (\n", out);
	conf_liaison(out, "lead", "分管负责人", true, true);
	if (gap != 2)
		conf_liaison(out, "contact", "应急联络员", gap != 1, false);
	if (pick(3) == 0 && gap != 2)
		conf_liaison(out, "contact", "值班工程师", true, false);
	fputs("\n    );", out);
}

struct ent {
	char id[80], name[200];
	const char *kind;
	int district;
};

/* Enterprise i is the same in the .conf and in the CSV files, whatever
 * else was drawn before it: it draws from a generator of its own. */
static void make_ent(int i, struct ent *e)
{
	uint64_t saved = rng;
	uint64_t z = 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1);   /* splitmix64 of i */
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	rng = z ^ (z >> 31);
	const struct industry *ind = &industries[pick(N_IND)];
	/* Utilities and infrastructure are rarer than factories. */
	if ((strcmp(ind->kind, "ent-utility") == 0 || strcmp(ind->kind, "ent-infrastructure") == 0) && pick(2))
		ind = &industries[pick(7)];
	e->district = FIRST_DISTRICT + (int)pick(N_DISTRICTS);
	e->kind = ind->kind;
	snprintf(e->id, sizeof e->id, "%s.ent-%04d", real[e->district].id, i + 1);
	unsigned a = pick(sizeof trade / sizeof *trade), b = pick(sizeof trade / sizeof *trade - 1);
	snprintf(e->name, sizeof e->name, "%s%s%s有限公司（虚构）", trade[a], trade[b >= a ? b + 1 : b], ind->word);
	rng = saved;
}

static void conf_objects(FILE *out, const struct ent *e)
{
	int n = 1 + (int)pick(3);
	fputs("\n    objects = (\n", out);
	for (int k = 0; k < n; k++) {
		const char *kind = "ics", *name;
		char buf[96];
		if (k == 0 && strcmp(e->kind, "ent-platform") == 0) {
			kind = "platform";
			name = "工业互联网平台";
		} else if (k == 0 && strcmp(e->kind, "ent-infrastructure") == 0) {
			kind = "infrastructure";
			name = pick(2) ? "标识解析二级节点" : "数据中心";
		} else {
			name = ics_objects[pick(sizeof ics_objects / sizeof *ics_objects)].name;
		}
		snprintf(buf, sizeof buf, "%s%s", name, k ? (k == 1 ? "（二期）" : "（三期）") : "");
		bool exposed = pick(10) < 3, important = exposed ? pick(2) : pick(8) == 0;
		fprintf(out, "%s      { kind = \"%s\"; name = \"%s\"; exposed = %s;", k ? ",\n" : "", kind, buf,
			exposed ? "true" : "false");
		if (important)
			fprintf(out, " important = true; assessed = \"2025-%02u-%02u\";", 3 + pick(9), 1 + pick(28));
		fputs(" }", out);
	}
	fputs("\n    );", out);
}

static void write_conf(FILE *out, int enterprises)
{
	fputs("# data/orgs/chongqing.conf — the org tree for `dutydesk org load`.\n"
	      "#\n"
	      "# GENERATED by data/orgs/gen_orgs.c (`make orgs`); edit the generator, not this file.\n"
	      "#\n"
	      "# Real: the commission, the centre, the expert group, the 38 districts and\n"
	      "# counties, 两江新区, 西部科学城重庆高新区, 万盛经开区 and the external bodies of\n"
	      "# art. 27–28 (public facts).  FICTIONAL: every enterprise (…有限公司（虚构）),\n"
	      "# support organisation, person (…（虚构）), phone number (1380000xxxx,\n"
	      "# 1390000xxxx, 023-6000xxxx), e-mail (@example.com) and protected object.\n"
	      "# Replace the fictional liaisons with your own before real use.\n"
	      "#\n"
	      "# Each org: id, kind, name, optional name_en, pinyin, parent (default: the\n"
	      "# id without its last label), retired; liaisons (role lead = 工作负责人,\n"
	      "# contact = 应急联络员; name, title, office, mobile, email, valid_from);\n"
	      "# objects (kind ics | platform | infrastructure, name, exposed, important,\n"
	      "# assessed, note).  Loading is all or nothing and writes only what changed.\n\n"
	      "orgs = (\n",
	      out);
	bool first = true;
	for (size_t i = 0; i < N_REAL; i++) {
		const struct real_org *o = &real[i];
		const char *dot = strrchr(o->id, '.');
		fprintf(out, "%s  { id = \"%s\"; kind = \"%s\"; name = \"%s\"; name_en = \"%s\";", first ? "" : ",\n", o->id,
			o->kind, o->name, o->en);
		if (i >= FIRST_DISTRICT && i < FIRST_DISTRICT + N_DISTRICTS)
			fprintf(out, " pinyin = \"%s\";", dot + 1);
		if (strcmp(o->kind, "external") != 0)
			conf_liaisons(out, 0);
		fputs(" }", out);
		first = false;
	}
	for (size_t i = 0; i < sizeof support / sizeof *support; i++) {
		/* Under cq directly: there is no org cq.support, only the prefix. */
		fprintf(out, ",\n  { id = \"%s\"; parent = \"cq\"; kind = \"support\"; name = \"%s\";", support[i][0],
			support[i][1]);
		conf_liaisons(out, 0);
		fputs(" }", out);
	}
	for (int i = 0; i < enterprises; i++) {
		struct ent e;
		make_ent(i, &e);
		fprintf(out, ",\n  { id = \"%s\"; kind = \"%s\"; name = \"%s\";", e.id, e.kind, e.name);
		/* Seeded gaps for `roster lint`: a contact without a mobile, an
		 * enterprise without any 应急联络员. */
		conf_liaisons(out, i % 53 == 17 ? 1 : i % 97 == 41 ? 2 : 0);
		conf_objects(out, &e);
		fputs(" }", out);
	}
	fputs("\n);\n", out);
}

static void csv_cell(FILE *out, const char *s, bool last)
{
	fprintf(out, "%s%s", s, last ? "\r\n" : ",");
}

/* The bench's CSV files: orgs, and contacts per enterprise. */
static void write_csv(FILE *out, const char *what, int enterprises, int contacts)
{
	bool roster = strcmp(what, "roster") == 0;
	fputs(roster ? "org,role,name,title,office,mobile,email\r\n" : "id,kind,name\r\n", out);
	for (int i = 0; i < enterprises; i++) {
		struct ent e;
		make_ent(i, &e);
		if (!roster) {
			csv_cell(out, e.id, false);
			csv_cell(out, e.kind, false);
			csv_cell(out, e.name, true);
			continue;
		}
		for (int k = 0; k < contacts; k++) {
			unsigned n = phone_seq++;
			char office[32], mobile[32], email[48];
			snprintf(office, sizeof office, "023-6%07u", n % 10000000);
			snprintf(mobile, sizeof mobile, "13%c%08u", '0' + (char)(n / 100000000 % 10), n % 100000000);
			snprintf(email, sizeof email, "liaison%u@example.com", n);
			csv_cell(out, e.id, false);
			csv_cell(out, k ? "contact" : "lead", false);
			csv_cell(out, person(), false);
			csv_cell(out, k ? "应急联络员" : "分管负责人", false);
			csv_cell(out, office, false);
			csv_cell(out, mobile, false);
			csv_cell(out, email, true);
		}
	}
}

int main(int argc, char **argv)
{
	int enterprises = 300, contacts = 3;
	const char *csv = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--enterprises") == 0 && i + 1 < argc)
			enterprises = atoi(argv[++i]);
		else if (strcmp(argv[i], "--contacts") == 0 && i + 1 < argc)
			contacts = atoi(argv[++i]);
		else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
			csv = argv[++i];
		else {
			fprintf(stderr, "usage: gen-orgs [--enterprises N] [--csv orgs|roster [--contacts N]]\n");
			return 2;
		}
	}
	if (enterprises < 0 || enterprises > 99999 || contacts < 1 || contacts > 9 ||
	    (csv && strcmp(csv, "orgs") != 0 && strcmp(csv, "roster") != 0)) {
		fprintf(stderr, "gen-orgs: enterprises 0–99999, contacts 1–9, --csv orgs or roster\n");
		return 2;
	}
	if (csv)
		write_csv(stdout, csv, enterprises, contacts);
	else
		write_conf(stdout, enterprises);
	return fflush(stdout) == 0 ? 0 : 1;
}
