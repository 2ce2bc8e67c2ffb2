/* The printable permit (permit_page.h). */
#include "haulpass/permit_page.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char hp_permit_css[] =
    "@page { size: A4; margin: 12mm; }\n"
    "* { box-sizing: border-box; }\n"
    "body { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', sans-serif;"
    " color: #111; margin: 0; }\n"
    ".permit { width: 186mm; margin: 0 auto; border: 2.5mm solid #0b4ea2; border-radius: 4mm;"
    " padding: 7mm 9mm; }\n"
    ".head { display: flex; justify-content: space-between; align-items: flex-start;"
    " border-bottom: 0.6mm solid #0b4ea2; padding-bottom: 4mm; }\n"
    ".head h1 { margin: 0; font-size: 30pt; letter-spacing: 0.2em; color: #0b4ea2; }\n"
    ".head .en { margin: 1mm 0 0; font-size: 12pt; color: #0b4ea2; letter-spacing: 0.05em; }\n"
    ".head .issuer { text-align: right; font-size: 10pt; color: #333; }\n"
    ".plate { margin: 5mm 0 4mm; text-align: center; }\n"
    ".plate span { display: inline-block; font-size: 40pt; font-weight: 700;"
    " letter-spacing: 0.08em; background: #ffd200; border: 1.2mm solid #111;"
    " border-radius: 2mm; padding: 1mm 8mm; }\n"
    ".body { display: flex; gap: 8mm; align-items: flex-start; }\n"
    ".qr { width: 62mm; flex: none; text-align: center; font-size: 8pt; color: #444; }\n"
    ".qr svg { width: 62mm; height: 62mm; }\n"
    "table { border-collapse: collapse; width: 100%; font-size: 11pt; }\n"
    "th { text-align: left; width: 30mm; padding: 1.6mm 2mm 1.6mm 0; vertical-align: top;"
    " color: #0b4ea2; font-weight: 600; }\n"
    "td { padding: 1.6mm 0; vertical-align: top; border-bottom: 0.2mm solid #ccc; }\n"
    "th small, td small { display: block; font-weight: 400; color: #555; font-size: 8.5pt; }\n"
    ".code { font-family: 'DejaVu Sans Mono', monospace; font-size: 13pt; font-weight: 700; }\n"
    ".status-active, .status-provisional { color: #0a7a2f; font-weight: 700; }\n"
    ".status-suspended, .status-revoked, .status-expired { color: #b00020; font-weight: 700; }\n"
    ".map { margin-top: 5mm; border: 0.3mm solid #999; border-radius: 2mm; padding: 3mm; }\n"
    ".map h2 { margin: 0 0 2mm; font-size: 10pt; color: #0b4ea2; }\n"
    ".map svg { width: 100%; height: 52mm; background: #f4f7fb; }\n"
    ".zone { fill: #0b4ea2; fill-opacity: 0.18; stroke: #0b4ea2; stroke-width: 1.5;"
    " vector-effect: non-scaling-stroke; }\n"
    ".corridor { fill: #e07000; fill-opacity: 0.35; stroke: #e07000; stroke-width: 1.5;"
    " vector-effect: non-scaling-stroke; }\n"
    ".scale { stroke: #111; stroke-width: 2; vector-effect: non-scaling-stroke; fill: none; }\n"
    ".label { fill: #111; font-family: sans-serif; }\n"
    ".noqr { height: 62mm; border: 0.4mm dashed #999; padding-top: 28mm; font-size: 10pt; }\n"
    ".foot { margin-top: 5mm; font-size: 8.5pt; color: #444; display: flex;"
    " justify-content: space-between; gap: 6mm; }\n"
    ".signed { font-family: 'DejaVu Sans Mono', monospace; font-size: 6pt; color: #777;"
    " word-break: break-all; margin-top: 3mm; }\n"
    "@media screen { body { background: #ddd; padding: 8mm 0; }"
    " .permit { background: #fff; } }\n";

struct buf {
    char *s;
    size_t len, cap;
    bool failed;
};

static void put(struct buf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap * 2 + (size_t)n;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
}

size_t hp_html_escape(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; s && *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        size_t n = rep ? strlen(rep) : 1;
        if (o + n + 1 > cap)
            return (size_t)-1;
        if (rep)
            memcpy(out + o, rep, n);
        else
            out[o] = *s;
        o += n;
    }
    if (cap)
        out[o] = '\0';
    return o;
}

/* Appends s escaped. */
static void text(struct buf *b, const char *s)
{
    size_t cap = (s ? strlen(s) : 0) * 6 + 1;
    char *e = malloc(cap);
    if (!e) {
        b->failed = true;
        return;
    }
    hp_html_escape(s ? s : "", e, cap);
    put(b, "%s", e);
    free(e);
}

static const char *type_zh(const char *t)
{
    static const char *const names[][2] = {
        {"construction", "工程车辆"}, {"urban_delivery", "城市配送"}, {"oversize", "超限运输"},
        {"hazmat", "危险货物运输"}, {"temporary", "临时通行"}, {"road_occupation", "占道施工"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(t, names[i][0]) == 0)
            return names[i][1];
    return "";
}

static const char *status_zh(const char *s)
{
    static const char *const names[][2] = {
        {"active", "有效"}, {"provisional", "容缺受理"}, {"suspended", "已暂停"},
        {"revoked", "已撤销"}, {"expired", "已过期"}, {"superseded", "已变更"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i][0]) == 0)
            return names[i][1];
    return "";
}

/* A row: Chinese and English heading, then the cell's HTML from the caller. */
static void row(struct buf *b, const char *zh, const char *en)
{
    put(b, "<tr><th>%s<small>%s</small></th><td>", zh, en);
}

char *hp_permit_page(const struct hp_permit *p)
{
    struct buf b = {.cap = 16384};
    b.s = malloc(b.cap);
    if (!b.s)
        return NULL;
    b.s[0] = '\0';
    put(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<title>通行证 Freight pass ");
    text(&b, p->code);
    put(&b, "</title><link rel=\"stylesheet\" href=\"/print.css\"></head><body>"
            "<main class=\"permit\"><div class=\"head\"><div><h1>货车通行证</h1>"
            "<p class=\"en\">FREIGHT VEHICLE PASS</p></div><div class=\"issuer\">"
            "公安交通管理部门<br>City Traffic Police<br>请置于前挡风玻璃内侧<br>"
            "Display behind the windscreen</div></div>");
    put(&b, "<div class=\"plate\"><span>");
    text(&b, p->plate);
    if (p->qr_svg)
        put(&b, "</span></div><div class=\"body\"><div class=\"qr\">%s"
                "扫码核验 Scan to verify</div><table>", p->qr_svg);
    else
        put(&b, "</span></div><div class=\"body\"><div class=\"qr noqr\">"
                "签名码尚未签发<br>No signed code yet: verify by the pass code</div><table>");
    row(&b, "通行证号", "Pass code");
    put(&b, "<span class=\"code\">");
    text(&b, p->code);
    put(&b, "</span><small>第 %d 版 · revision %d</small></td></tr>", p->revision, p->revision);
    row(&b, "类型", "Type");
    put(&b, "%s<small>", type_zh(p->type));
    text(&b, p->type);
    put(&b, "</small></td></tr>");
    row(&b, "有效期", "Valid");
    text(&b, p->valid_from);
    put(&b, " — ");
    text(&b, p->valid_to);
    put(&b, "</td></tr>");
    row(&b, "通行时段", "Hours");
    if (p->hours)
        text(&b, p->hours);
    else
        put(&b, "全天<small>at any hour</small>");
    put(&b, "</td></tr>");
    row(&b, "通行区域", "Zones");
    int zones = 0;
    for (int i = 0; i < p->nshapes; i++) {
        if (!p->shapes[i].name)
            continue;
        put(&b, zones++ ? "<br>" : "");
        text(&b, p->shapes[i].name);
    }
    for (int i = 0; i < p->nshapes; i++)
        if (!p->shapes[i].name)
            put(&b, "%s通行走廊<small>the corridor on the map</small>", zones++ ? "<br>" : "");
    if (!zones)
        put(&b, "—");
    put(&b, "</td></tr>");
    row(&b, "状态", "Status");
    put(&b, "<span class=\"status-");
    text(&b, p->status);
    put(&b, "\">%s ", status_zh(p->status));
    text(&b, p->status);
    put(&b, "</span><small>打印时 · when printed; 以扫码核验为准 · the scan is authoritative"
            "</small></td></tr>");
    row(&b, "签发时间", "Issued");
    /* "2026-12-02T14:08:51.160413+08:00" as "2026-12-02 14:08 (+08:00)". */
    const char *at = p->issued_at ? p->issued_at : "";
    size_t alen = strlen(at);
    if (alen >= 16 && at[10] == 'T') {
        char shown[64];
        const char *off = alen >= 6 ? at + alen - 6 : "";
        snprintf(shown, sizeof(shown), "%.10s %.5s (UTC%s)", at, at + 11,
                 (off[0] == '+' || off[0] == '-') ? off : "");
        text(&b, shown);
    } else {
        text(&b, at);
    }
    put(&b, "</td></tr></table></div>");
    if (p->nshapes && p->width > 0 && p->height > 0) {
        double pad = (p->width > p->height ? p->width : p->height) * 0.06;
        put(&b, "<div class=\"map\"><h2>通行范围 · Area covered</h2>"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"%.6f %.6f %.6f %.6f\""
                " preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"map\">",
            p->min_x - pad, p->min_y - pad, p->width + 2 * pad, p->height + 2 * pad);
        /* A scale bar of a round length near a quarter of the width (the
         * units are degrees of latitude: 111,320 m), and north up. */
        double metres = p->width * 111320.0 / 4, step = 1;
        while (step * 10 <= metres)
            step *= 10;
        double len_m = metres >= 5 * step ? 5 * step : metres >= 2 * step ? 2 * step : step;
        double len = len_m / 111320.0, fs = (p->height + 2 * pad) * 0.045;
        double x0 = p->min_x - pad * 0.6, y0 = p->min_y + p->height + pad * 0.6;
        for (int i = 0; i < p->nshapes; i++) {
            put(&b, "<path class=\"%s\" fill-rule=\"evenodd\" d=\"",
                p->shapes[i].name ? "zone" : "corridor");
            text(&b, p->shapes[i].path);
            put(&b, "\"><title>");
            text(&b, p->shapes[i].name ? p->shapes[i].name : "corridor");
            put(&b, "</title></path>");
        }
        put(&b, "<path class=\"scale\" d=\"M%.6f %.6fh%.6f\"/>"
                "<text class=\"label\" x=\"%.6f\" y=\"%.6f\" font-size=\"%.6f\">%g %s</text>"
                "<text class=\"label\" x=\"%.6f\" y=\"%.6f\" font-size=\"%.6f\">N ↑</text>",
            x0, y0, len, x0, y0 - fs * 0.4, fs, len_m >= 1000 ? len_m / 1000 : len_m,
            len_m >= 1000 ? "km" : "m", p->min_x + p->width + pad * 0.1,
            p->min_y - pad * 0.2, fs);
        put(&b, "</svg></div>");
    }
    put(&b, "<div class=\"foot\"><span>核验：扫描二维码，或 haulpass verify。"
            "Check: scan the code, or POST /v1/verify.</span>"
            "<span>伪造、变造通行证的，依法追究责任。Forgery is an offence.</span></div>"
            "<div class=\"signed\">");
    text(&b, p->signed_code ? p->signed_code : "");
    put(&b, "</div></main></body></html>\n");
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
