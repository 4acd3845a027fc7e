/*
 * cmd_tiers.c — `dutydesk tiers check|show`: the tier rules of tiers.conf,
 * checked the way the console reads them, or printed for the wall.
 */
#include <string.h>

#include "dutydesk/cli.h"
#include "dutydesk/i18n.h"
#include "dutydesk/tiers.h"

int cmd_tiers(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "show") != 0))
		return cli_usage_error(cli, "tiers", "use `tiers check` or `tiers show`");
	int rc = cli_load_config(cli);
	struct dd_tiers t;
	if (rc || (rc = cli_load_tiers(cli, &t)))
		return rc;
	if (strcmp(argv[1], "check") == 0) {
		printf("tier rules ok: 5 tiers, summary due %d days after handling ends\n", t.summary_within_min / 1440);
		return EXIT_OK;
	}
	i18n_init();
	for (int i = DD_TIERS - 1; i >= 0; i--) {
		const struct dd_tier_rule *r = &t.tier[i];
		printf("%s %s (%s)\n  lead: %s\n", tier_id(i), r->name_zh, r->name_en, r->lead);
		if (r->n_notify) {
			printf("  notify:");
			for (int n = 0; n < r->n_notify; n++)
				printf("%s%s", n ? "、" : " ", r->notify[n]);
			printf("\n");
		}
		for (int h = 0; h < r->n_hops; h++) {
			const struct dd_hop_rule *hr = &r->hops[h];
			printf("  %-10s → %s within %dh%02dm", hr->id, hr->to, hr->within_min / 60, hr->within_min % 60);
			if (hr->cii_within_min != hr->within_min)
				printf(" (CII %dh%02dm)", hr->cii_within_min / 60, hr->cii_within_min % 60);
			printf(hr->after[0] ? " after %s\n" : " of detection\n", hr->after);
		}
	}
	return EXIT_OK;
}
