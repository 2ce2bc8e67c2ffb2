/* The printable permit and its escaping; the QR code's SVG. Pure. */
#include "test.h"

#include "haulpass/permit_page.h"
#include "haulpass/qr_svg.h"

#include <stdlib.h>
#include <string.h>

TEST(html_escaping_covers_the_five_characters_and_refuses_to_overflow)
{
    char out[64];
    CHECK(hp_html_escape("<a href=\"x\">'&'</a>", out, sizeof(out)) != (size_t)-1);
    CHECK_STR(out, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(hp_html_escape("鲁Q 3001", out, sizeof(out)) == strlen("鲁Q 3001"));
    char small[6];
    CHECK(hp_html_escape("<<<", small, sizeof(small)) == (size_t)-1);
}

TEST(every_text_of_the_pass_is_escaped_on_the_page)
{
    struct hp_permit_shape shapes[] = {{"<script>alert(1)</script>", "M0 0L1 0L1 -1Z"},
                                       {NULL, "M0 0L\"/><script>x</script>"}};
    struct hp_permit p = {.code = "HP-2026-<b>", .signed_code = "HP1:\"><script>",
                          .plate = "<img src=x onerror=alert(1)>", .type = "construction",
                          .status = "active\" onclick=\"x", .revision = 1,
                          .valid_from = "2026-12-01", .valid_to = "2026-12-31",
                          .hours = "Mo-Fr 07:00-19:00 <i>", .issued_at = "2026-12-01T08:00:00+08:00",
                          .shapes = shapes, .nshapes = 2, .width = 1, .height = 1};
    char *html = hp_permit_page(&p);
    REQUIRE(html);
    CHECK(strstr(html, "<script") == NULL);
    CHECK(strstr(html, "<img") == NULL);
    CHECK(strstr(html, "<i>") == NULL);
    CHECK(strstr(html, "<b>") == NULL);
    CHECK(strstr(html, "onclick=\"") == NULL);
    CHECK(strstr(html, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
    CHECK(strstr(html, "通行证") != NULL && strstr(html, "FREIGHT VEHICLE PASS") != NULL);
    /* No inline style or script: the page works under a strict CSP. */
    CHECK(strstr(html, "style=") == NULL && strstr(html, "<style") == NULL);
    CHECK(strstr(html, "href=\"/print.css\"") != NULL);
    free(html);
}

TEST(a_page_without_a_map_or_hours_still_reads)
{
    struct hp_permit p = {.code = "HP-2026-7K3M9QXZ4", .plate = "鲁QC3001", .type = "hazmat",
                          .status = "revoked", .revision = 2, .valid_from = "2026-12-01",
                          .valid_to = "2026-12-31", .issued_at = "x"};
    char *html = hp_permit_page(&p);
    REQUIRE(html);
    CHECK(strstr(html, "全天") != NULL);
    CHECK(strstr(html, "危险货物运输") != NULL);
    CHECK(strstr(html, "已撤销") != NULL);
    CHECK(strstr(html, "class=\"map\"") == NULL);
    free(html);
}

TEST(the_qr_svg_is_drawn_at_level_q_with_a_quiet_zone)
{
    int version = 0;
    char *svg = hp_qr_svg("HP1:ABCDEF", 1, 0, &version);
    REQUIRE(svg);
    CHECK(version == 1);
    CHECK(strncmp(svg, "<?xml", 5) == 0);
    /* Version 1 is 21 modules; 4 of quiet zone each side. */
    CHECK(strstr(svg, "viewBox=\"0 0 29 29\"") != NULL);
    CHECK(strstr(svg, "<path fill=\"#000\" d=\"M4 4h7v1h-7z") != NULL);
    free(svg);
    svg = hp_qr_svg("HP1:ABCDEF", 0, 200, NULL);
    REQUIRE(svg);
    CHECK(strncmp(svg, "<svg", 4) == 0 && strstr(svg, "width=\"200\"") != NULL);
    free(svg);
}
