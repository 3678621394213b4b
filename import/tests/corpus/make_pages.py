#!/usr/bin/env python3
"""Writes the quality corpus: ../pages/NN-layout-slug.html (a saved portal page, with the clutter
real commune portals have) and NN-layout-slug.json (the item the importer must produce).

Six layouts: Liferay journal article, Liferay news portlet, WordPress theme, DotNetNuke table
layout, a hand-made layout, Joomla 3. Run once; the output is committed (the tests need only cargo).
"""
import html, json, os, re, sys
sys.path.insert(0, os.path.dirname(__file__))
from articles import ARTICLES

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "pages")
FIXTURE = os.path.join(HERE, "..", "..", "..", "..", "shared", "fixtures", "articles", "ducpho-truc-bao.json")

BYLINES = {  # what the byline means: (authors, agency)
    "Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ": (["Thúy Yến"], "Trung tâm TT-VH-TT thị xã Đức Phổ"),
    "PV": (["PV"], None), "BBT": (["BBT"], None), None: ([], None),
    "Tin, ảnh: Văn Lợi": (["Văn Lợi"], None), "Tin, ảnh: Hải Đăng": (["Hải Đăng"], None),
    "Minh Hoàng (Trạm Y tế xã)": (["Minh Hoàng"], "Trạm Y tế xã"),
    "Ngọc Anh - Thu Hà": (["Ngọc Anh", "Thu Hà"], None),
    "Theo Báo Quảng Ngãi": ([], "Báo Quảng Ngãi"),
    "Hồng Nhung – Đài Truyền thanh xã": (["Hồng Nhung"], "Đài Truyền thanh xã"),
    "Phòng Văn hóa - Xã hội": ([], "Phòng Văn hóa - Xã hội"),
    "Thanh Tùng – Trung tâm TT-VH-TT huyện Bình Sơn": (["Thanh Tùng"], "Trung tâm TT-VH-TT huyện Bình Sơn"),
    "Quốc Việt": (["Quốc Việt"], None), "Hoài Nam": (["Hoài Nam"], None),
    "Đoàn Thanh niên xã": ([], "Đoàn Thanh niên xã"),
    "Văn phòng HĐND - UBND xã": ([], "Văn phòng HĐND - UBND xã"),
    "Lê Thị Mai - Hội LHPN xã": (["Lê Thị Mai"], "Hội LHPN xã"),
    "Theo Cổng TTĐT huyện Bình Sơn": ([], "Cổng TTĐT huyện Bình Sơn"),
    "Công an xã": ([], "Công an xã"),
    "Thanh Tâm (Đài Truyền thanh xã)": (["Thanh Tâm"], "Đài Truyền thanh xã"),
    "Văn phòng Đảng ủy xã": ([], "Văn phòng Đảng ủy xã"),
    "Minh Thư – Cổng TTĐT xã": (["Minh Thư"], "Cổng TTĐT xã"),
}

e = html.escape
VI_DAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

def weekday(y, m, d):
    import datetime
    return VI_DAYS[datetime.date(y, m, d).weekday()]

def dot(n):  # 1234 -> 1.234
    return f"{n:,}".replace(",", ".")

def body_html(a, style):
    """The article body as the CMS stores it (with its inline styles), and the clean expected HTML."""
    parts, clean = [], []
    for i, p in enumerate(a["paras"]):
        if style == "br":
            parts.append(e(p))
        elif style == "font":
            parts.append(f'<p style="text-align:justify"><font face="Times New Roman" size="3">{e(p)}</font></p>')
        else:
            parts.append(f'<p style="text-align: justify;"><span style="font-size:14px;">{e(p)}</span></p>' if i % 2 else f"<p>{e(p)}</p>")
        clean.append(f"<p>{e(p, quote=False)}</p>")
        if i == 0 and len(a["paras"]) > 2 and style != "br":
            src = f"/uploads/{a['slug']}-1.jpg"
            cap = "Quang cảnh buổi lễ." if "trao" in a["slug"] or "ky-niem" in a["slug"] else "Toàn cảnh hội nghị."
            parts.append(f'<p style="text-align:center"><img alt="" src="{src}" style="width:600px;height:400px" /></p>'
                         f'<p style="text-align:center"><em>{cap}</em></p>')
            clean.append(f'<p><img src="{{base}}{src}" alt=""></p><p><em>{cap}</em></p>')
    if style == "br":
        return "<br /><br />".join(parts), "".join(clean)
    return "\n".join(parts), "".join(clean)

SCRIPTS = """<script type="text/javascript">var _gaq=_gaq||[];_gaq.push(['_setAccount','UA-0000000-1']);_gaq.push(['_trackPageview']);</script>
<script src="/js/jquery.min.js"></script><noscript><img src="/counter.gif" /></noscript>"""

RELATED_ITEMS = [
    ("/tin/1001", "Hội nghị sơ kết công tác 6 tháng đầu năm và triển khai nhiệm vụ 6 tháng cuối năm"),
    ("/tin/1002", "Tuyên truyền phòng, chống đuối nước cho trẻ em trong dịp hè"),
    ("/tin/1003", "Ra quân thực hiện chiến dịch thanh niên tình nguyện hè năm nay"),
    ("/tin/1004", "Kiểm tra công tác phòng cháy, chữa cháy tại các cơ sở kinh doanh"),
]

def related_list(prefix):
    return "".join(f'<li><a href="{prefix}{h}">{e(t)}</a> <span class="date">(12/06/2024)</span></li>' for h, t in RELATED_ITEMS)

# --- layout 1: Liferay journal article (Asset Publisher full content) --------------------------
def liferay_journal(a, v, url, site):
    y, mo, d, h, mi = a["date"]
    meta = (f'{d:02}/{mo:02}/{y} {h:02}:{mi:02} &nbsp;&nbsp; <span class="view-count"><i class="icon-eye-open"></i> {a["views"]}</span>'
            if v % 2 == 0 else f'{d:02}/{mo:02}/{y} {h:02}:{mi:02} | Lượt xem: {dot(a["views"])}')
    body, clean = body_html(a, "p")
    byline = f'<p style="text-align: right;"><strong>{e(a["byline"])}</strong></p>' if a["byline"] else ""
    return f"""<!DOCTYPE html>
<html class="aui ltr" dir="ltr" lang="vi-VN">
<head><title>{e(a["title"])} - {site} - Liferay</title>
<meta content="text/html; charset=UTF-8" http-equiv="content-type" />
<link href="/html/themes/classic/images/favicon.ico" rel="Shortcut Icon" />
<link href="/html/css/main.css?browserId=other&amp;themeId=dp_WAR_dptheme" rel="stylesheet" type="text/css" />
<style type="text/css">#p_p_id_101_INSTANCE_kF3mQ2yLx9Pz_ .portlet-borderless-container {{ border-width: 0; }}</style>
{SCRIPTS}
</head>
<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">
<a href="#main-content" id="skip-to-content">Truy cập nội dung luôn</a>
<div class="container-fluid" id="wrapper">
<header id="banner" role="banner"><div id="heading"><h1 class="site-title"><a class="logo custom-logo" href="/" title="Đi đến {site}"><img alt="{site}" height="120" src="/image/layout_set_logo?img_id=12345" width="1000" /></a></h1>
<div class="clock">{weekday(2024,1,4)}, 04/01/2024</div></div>
<nav class="sort-pages modify-pages" id="navigation" role="navigation"><ul aria-label="Trang của trang web" role="menubar">
<li><a href="/trang-chu"><span>Trang chủ</span></a></li><li class="selected"><a href="/tin-tuc-su-kien"><span>Tin tức - Sự kiện</span></a></li>
<li><a href="/gioi-thieu"><span>Giới thiệu</span></a></li><li><a href="/van-ban"><span>Văn bản chỉ đạo điều hành</span></a></li><li><a href="/lien-he"><span>Liên hệ</span></a></li></ul></nav></header>
<div id="content"><div class="portlet-layout row-fluid"><div class="portlet-column span8" id="column-1">
<div class="portlet-boundary portlet-boundary_101_ portlet-asset-publisher" id="p_p_id_101_INSTANCE_kF3mQ2yLx9Pz_">
<span id="p_101_INSTANCE_kF3mQ2yLx9Pz"></span>
<section class="portlet" id="portlet_101_INSTANCE_kF3mQ2yLx9Pz">
<header class="portlet-topper"><h2 class="portlet-title"><span class="portlet-title-text">Tin tức - Sự kiện</span></h2></header>
<div class="portlet-content"><div class="portlet-content-container" style="">
<div class="portlet-body">
<div class="taglib-header "><span class="header-back-to"><a class="icon-circle-arrow-left previous-level" href="/tin-tuc-su-kien" id="_101_INSTANCE_kF3mQ2yLx9Pz_TabsBack" title="Quay lại"><span class="helper-hidden-accessible">Quay lại</span></a></span>
<h3 class="header-title"><span>{e(a["title"])}</span></h3></div>
<div class="asset-full-content default-asset-publisher show-asset-title">
<div class="asset-content" id="_101_INSTANCE_kF3mQ2yLx9Pz_{a["slug"]}">
<div class="date-view" style="color:#888;font-size:12px">{meta}</div>
<div class="journal-content-article">
{body}
{byline}
</div>
<div class="entry-links"></div>
</div>
<div class="asset-ratings"><div class="taglib-ratings stars">Bình chọn: <a href="javascript:;">1</a> <a href="javascript:;">2</a> <a href="javascript:;">3</a></div></div>
<div class="taglib-social-bookmarks"><ul class="unstyled"><li><a class="social-bookmark facebook" href="https://www.facebook.com/sharer.php?u={url}">Facebook</a></li><li><a href="https://twitter.com/intent/tweet?url={url}">Twitter</a></li></ul></div>
<div class="asset-links"><h4 class="asset-links-title"><i class="icon-link"></i> Tin liên quan</h4><ul class="asset-links-list">{related_list("")}</ul></div>
</div></div></div></div></section></div></div>
<div class="portlet-column span4" id="column-2"><div class="portlet-boundary"><section class="portlet"><h2 class="portlet-title">Thông báo</h2><ul><li><a href="/tb/1">Thông báo lịch trực Tết Nguyên đán của UBND thị xã</a></li><li><a href="/tb/2">Thông báo tuyển dụng công chức cấp xã năm 2024</a></li></ul></section>
<section class="portlet"><h2 class="portlet-title">Thống kê truy cập</h2><div class="counter">Đang truy cập: 15<br/>Tổng lượt truy cập: 1.234.567</div></section></div></div></div></div>
<footer id="footer" role="contentinfo"><p>{site}</p><p>Địa chỉ: 120 Nguyễn Nghiêm, phường Nguyễn Nghiêm, thị xã Đức Phổ, tỉnh Quảng Ngãi. Điện thoại: 0255.3859.xxx</p><p>Chịu trách nhiệm chính: Chánh Văn phòng HĐND và UBND thị xã</p></footer>
</div></body></html>
""", clean, None

# --- layout 2: Liferay news portlet (provincial portal product) --------------------------------
def liferay_news(a, v, url, site):
    y, mo, d, h, mi = a["date"]
    if v % 2 == 0:
        meta = f'<span class="date"><i class="fa fa-calendar"></i> Ngày đăng: {d:02}/{mo:02}/{y} | {h:02}:{mi:02}</span><span class="sep">|</span><span class="view">Lượt xem: {dot(a["views"])}</span>'
    else:
        hh = h % 12 or 12
        meta = f'<span class="date">{weekday(y,mo,d)}, {d:02}/{mo:02}/{y}, {hh}:{mi:02} {"CH" if h >= 12 else "SA"}</span> <span class="view">({dot(a["views"])} lượt xem)</span>'
    body, clean = body_html(a, "p")
    first, rest = a["paras"][0], body.split("\n", 1)[1] if "\n" in body else ""
    sapo = f'<div class="news-sapo"><strong>{e(first)}</strong></div>'
    byline_in = v % 2 == 1 and a["byline"]
    byline_body = f'<p style="text-align:right"><strong>{e(a["byline"])}</strong></p>' if byline_in else ""
    byline_after = f'<div class="news-author" style="text-align:right;font-weight:bold">{e(a["byline"])}</div>' if a["byline"] and not byline_in else ""
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{e(a["title"])}</title>
<meta property="og:title" content="{e(a["title"])}"><meta property="og:site_name" content="{site}"><meta property="og:type" content="article">
<meta property="og:image" content="/uploads/{a["slug"]}-1.jpg">
<link rel="stylesheet" href="/o/portal-theme/css/main.css">{SCRIPTS}
</head><body>
<div class="top-bar"><div class="container"><span class="today">Hôm nay: {weekday(2024,3,1)}, 01/03/2024</span><a href="/c/portal/login">Đăng nhập</a></div></div>
<div class="banner"><img src="/banner.png" alt="banner"><h1 class="site-name">CỔNG THÔNG TIN ĐIỆN TỬ {site.upper()}</h1></div>
<div class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li><a href="/thu-tuc">Thủ tục hành chính</a></li><li><a href="/hoi-dap">Hỏi đáp</a></li></ul></div>
<div class="container"><div class="row"><div class="col-md-9">
<div class="portlet-boundary portlet-news-detail"><div class="portlet-body">
<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li><li class="active">Chi tiết tin</li></ul>
<div class="news-detail">
<h2 class="news-title">{e(a["title"])}</h2>
<div class="news-info">{meta}
<div class="tool-bar"><span class="font-size">Cỡ chữ: <a href="#" onclick="zoom(1)">A+</a> <a href="#" onclick="zoom(-1)">A-</a></span> <a href="javascript:window.print()" class="print"><i class="fa fa-print"></i> In bài</a> <a href="mailto:?subject={e(a["title"])}" class="email">Gửi email</a></div></div>
{sapo}
<div class="news-content" style="font-family:Arial;font-size:15px">
{rest}
{byline_body}
</div>
{byline_after}
<div class="share-box"><span>Chia sẻ:</span> <a href="https://www.facebook.com/sharer/sharer.php?u={url}"><i class="fa fa-facebook"></i></a> <a href="https://sp.zalo.me/share?url={url}"><i class="zalo"></i></a></div>
<div class="other-news"><div class="title-other">Các tin khác</div><ul>{related_list("")}</ul></div>
</div></div></div></div>
<div class="col-md-3 sidebar"><div class="box"><h3>Tin mới nhất</h3><ul><li><a href="/tin/901">Triển khai kế hoạch tổng điều tra kinh tế năm 2026 trên địa bàn xã</a></li><li><a href="/tin/902">Thông báo lịch cắt điện ngày 15/3/2024 tại các thôn</a></li></ul></div>
<div class="box"><h3>Liên kết website</h3><select><option>Cổng TTĐT tỉnh</option></select></div></div></div></div>
<div class="footer"><div class="container"><p>Bản quyền thuộc {site}</p><p>Địa chỉ: thôn An Phú, xã Tịnh Hà, huyện Sơn Tịnh, tỉnh Quảng Ngãi</p><p>Ghi rõ nguồn “{site}” khi phát hành lại thông tin từ website này.</p></div></div>
</body></html>
""", clean, site

# --- layout 3: WordPress theme ------------------------------------------------------------------
def wordpress(a, v, url, site):
    y, mo, d, h, mi = a["date"]
    import datetime
    dt = datetime.datetime(y, mo, d, h, mi)
    if v % 2 == 0:
        time_el = f'<time class="entry-date published" datetime="{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+07:00">{d:02}/{mo:02}/{y}</time>'
        views = f'<span class="post-views">({a["views"]} lượt xem)</span>'
    else:
        u = dt - datetime.timedelta(hours=7)
        months = ["Một","Hai","Ba","Tư","Năm","Sáu","Bảy","Tám","Chín","Mười","Mười Một","Mười Hai"]
        time_el = f'<time class="entry-date published updated" datetime="{u:%Y-%m-%dT%H:%M:%S}+00:00">{d} Tháng {months[mo-1]}, {y}</time>'
        views = f'<span class="post-views"><span class="post-views-label">Lượt xem: </span><span class="post-views-count">{dot(a["views"])}</span></span>'
    body, clean = body_html(a, "p")
    byline = f'<p style="text-align: right;"><em><strong>{e(a["byline"])}</strong></em></p>' if a["byline"] else ""
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(a["title"])} &#8211; {site}</title>
<meta property="og:locale" content="vi_VN" /><meta property="og:type" content="article" /><meta property="og:title" content="{e(a["title"])} - {site}" />
<meta property="og:url" content="{url}" /><meta property="og:site_name" content="{site}" />
<meta property="article:published_time" content="{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+07:00" />
<link rel="canonical" href="{url}" />
<link rel='stylesheet' id='twentyseventeen-style-css' href='/wp-content/themes/xa/style.css?ver=6.4.2' media='all' />
<style id='wp-emoji-styles-inline-css'>img.wp-smiley, img.emoji {{ display: inline !important; }}</style>
{SCRIPTS}
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"WebSite","name":"{site}"}}</script>
</head>
<body class="post-template-default single single-post postid-{len(a["slug"])*37} single-format-standard">
<div id="page" class="site"><a class="skip-link screen-reader-text" href="#content">Chuyển đến nội dung</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/" rel="home">{site}</a></p><p class="site-description">Trang thông tin điện tử</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/category/tin-tuc/">Tin tức</a></li><li><a href="/category/thong-bao/">Thông báo</a></li><li><a href="/lien-he/">Liên hệ</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<div class="breadcrumbs" typeof="BreadcrumbList"><span><a href="/">Trang chủ</a></span> &raquo; <span><a href="/category/tin-tuc/">Tin tức</a></span> &raquo; <span class="breadcrumb_last">{e(a["title"][:40])}…</span></div>
<article id="post-{len(a["slug"])*37}" class="post type-post status-publish format-standard has-post-thumbnail hentry category-tin-tuc">
<header class="entry-header"><h1 class="entry-title">{e(a["title"])}</h1>
<div class="entry-meta"><span class="posted-on">Đăng ngày <a href="{url}" rel="bookmark">{time_el}</a></span><span class="byline"> bởi <span class="author vcard"><a class="url fn n" href="/author/admin/">admin</a></span></span> {views}</div></header>
<div class="entry-content">
{body}
{byline}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Chia sẻ:</h3><div class="sd-content"><ul><li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button share-icon" href="{url}?share=facebook" target="_blank"><span>Facebook</span></a></li><li class="share-print"><a rel="nofollow" class="share-print sd-button share-icon" href="{url}#print" target="_blank"><span>In</span></a></li></ul></div></div></div>
<div id='jp-relatedposts' class='jp-relatedposts'><h3 class="jp-relatedposts-headline"><em>Bài viết liên quan</em></h3>{related_list("")}</div>
</div>
<footer class="entry-footer"><span class="cat-links">Chuyên mục: <a href="/category/tin-tuc/" rel="category tag">Tin tức</a></span><span class="tags-links">Thẻ: <a href="/tag/xa/" rel="tag">xã</a></span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Bài viết"><div class="nav-links"><div class="nav-previous"><a href="/2024/01/02/tin-truoc/" rel="prev">Bài trước: Hội nghị triển khai nhiệm vụ năm 2024 của UBND xã</a></div></div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Trả lời</h3><form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">Email của bạn sẽ không được hiển thị công khai.</p><textarea id="comment" name="comment"></textarea><input name="submit" type="submit" value="Phản hồi"></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Tin mới</h2><ul><li><a href="/2024/03/01/a/">Thông báo về việc thu thuế sử dụng đất phi nông nghiệp năm 2024</a></li><li><a href="/2024/02/28/b/">Lịch tiếp công dân định kỳ của lãnh đạo UBND xã tháng 3</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">© 2024 {site}. Địa chỉ: thôn Đông Hòa, xã Nghĩa Dũng. Vận hành bởi WordPress.</div></footer></div>
<script src='/wp-includes/js/wp-emoji-release.min.js?ver=6.4.2' id='wp-emoji-js'></script>
</body></html>
""", clean, site

# --- layout 4: DotNetNuke, tables, text separated by <br /><br /> ------------------------------
def dnn_table(a, v, url, site):
    y, mo, d, h, mi = a["date"]
    if v % 2 == 0:
        meta = f'<span class="NewsDate">(Cập nhật: {d:02}/{mo:02}/{y} {h:02}:{mi:02})</span>&nbsp;&nbsp;<span class="NewsView">Đã xem: {a["views"]}</span>'
    else:
        hh = h % 12 or 12
        meta = f'<span class="NewsDate">{d:02}/{mo:02}/{y} {hh}:{mi:02}:00 {"CH" if h >= 12 else "SA"}</span> - <span class="NewsView">Số lần xem: {a["views"]}</span>'
    body, clean = body_html(a, "br")
    byline = f'<br /><br /><div align="right"><b>{e(a["byline"])}</b></div>' if a["byline"] else ""
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">
<html lang="vi-VN"><head id="Head"><meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
<title>
	{site} &gt; Tin tức &gt; {e(a["title"])}
</title>
<meta id="MetaDescription" name="DESCRIPTION" content="{site}" /><meta id="MetaGenerator" name="GENERATOR" content="DotNetNuke " />
<link id="_Portals__default_" rel="stylesheet" type="text/css" href="/Portals/_default/default.css" />
<style type="text/css">.Head {{ font-family: Tahoma; font-size: 13pt; font-weight: bold; color: #003399 }} .NewsDate {{ color: #999999 }}</style>
{SCRIPTS}
</head>
<body id="Body">
<form name="Form" method="post" action="/Default.aspx?tabid=72&amp;ch=135" id="Form" enctype="multipart/form-data">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIBD2QWAgIFD2QWAmYPZBYCAgEPZBYCZg9kFgJmD2QWBAIBDw8WAh4HVmlzaWJsZWhkZAIDDw8WAh8AaGRkGAEFHl9fQ29udHJvbHNSZXF1aXJlUG9zdEJhY2tLZXlfXxYBBQ==" />
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center" bgcolor="#FFFFFF">
<tr><td colspan="2" height="150" background="/Portals/0/banner.jpg"><span class="SiteTitle" style="font-size:22pt;color:#fff">UỶ BAN NHÂN DÂN HUYỆN BÌNH SƠN</span></td></tr>
<tr><td colspan="2" class="MenuBar" bgcolor="#003399"><a class="MenuItem" href="/Default.aspx?tabid=36">TRANG CHỦ</a> | <a class="MenuItem" href="/Default.aspx?tabid=72">TIN TỨC</a> | <a class="MenuItem" href="/Default.aspx?tabid=80">VĂN BẢN</a> | <a class="MenuItem" href="/Default.aspx?tabid=90">HỎI ĐÁP</a> <marquee class="Marquee" width="500">Chào mừng kỷ niệm 94 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2024)</marquee></td></tr>
<tr><td width="200" valign="top" id="dnn_LeftPane" class="LeftPane">
<table width="100%" class="Box"><tr><td class="BoxTitle">DANH MỤC</td></tr><tr><td><a href="/Default.aspx?tabid=72&amp;ch=135">Tin hoạt động</a><br/><a href="/Default.aspx?tabid=72&amp;ch=136">Tin kinh tế</a><br/><a href="/Default.aspx?tabid=72&amp;ch=137">Tin văn hóa - xã hội</a></td></tr></table>
<table width="100%" class="Box"><tr><td class="BoxTitle">THỐNG KÊ TRUY CẬP</td></tr><tr><td>Đang online: 8<br/>Lượt truy cập: 2.345.678</td></tr></table></td>
<td width="800" valign="top" id="dnn_ContentPane" class="ContentPane">
<div class="Breadcrumb"><a href="/Default.aspx?tabid=36" class="Breadcrumb">Trang chủ</a> &gt; <a href="/Default.aspx?tabid=72" class="Breadcrumb">Tin tức</a></div>
<a name="417"></a>
<table class="TableNews" cellspacing="0" cellpadding="4" width="100%" border="0"><tr><td class="Normal" valign="top">
<span class="Head">{e(a["title"])}</span><br />
{meta}<br /><br />
{body}
{byline}
<br /><br />
<a href="javascript:history.back()" class="CommandButton">« Quay lại</a>&nbsp;&nbsp;<a href="javascript:window.print()" class="CommandButton">In trang</a>&nbsp;&nbsp;<a href="/Default.aspx?tabid=72&amp;ch=135&amp;sendmail=1" class="CommandButton">Gửi email</a>
</td></tr></table>
<table width="100%" class="OtherNews"><tr><td class="SubHead">Các tin khác</td></tr>
<tr><td>{"<br/>".join(f'<img src="/images/bullet.gif"/> <a href="/Default.aspx?tabid=72&amp;ItemID={900+i}" class="Normal">{e(t)}</a>' for i, (_, t) in enumerate(RELATED_ITEMS))}</td></tr></table>
</td></tr>
<tr><td colspan="2" class="Footer" align="center" bgcolor="#003399"><font color="#FFFFFF">Cơ quan chủ quản: UBND huyện Bình Sơn<br/>Địa chỉ: 188 Phạm Văn Đồng, thị trấn Châu Ổ, huyện Bình Sơn<br/>Ghi rõ nguồn khi phát hành lại thông tin từ website này</font></td></tr>
</table></form></body></html>
""", clean, None

# --- layout 5: hand-made (old static-looking site, font tags) -----------------------------------
def handmade(a, v, url, site):
    y, mo, d, h, mi = a["date"]
    if v % 2 == 0:
        meta = f'<i>{weekday(y,mo,d)}, ngày {d:02}/{mo:02}/{y} - {h:02}:{mi:02}</i> &nbsp;&nbsp;&nbsp; <font color="#999999">Số lượt xem: {a["views"]}</font>'
    else:
        meta = f'<i>Cập nhật lúc {h:02}h{mi:02} ngày {d:02}/{mo:02}/{y}</i> - <font color="#999999">Lượt đọc: {dot(a["views"])}</font>'
    body, clean = body_html(a, "font")
    byline = f'<p align="right"><font face="Times New Roman" size="3"><b><i>{e(a["byline"])}</i></b></font></p>' if a["byline"] else ""
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{e(a["title"])} :: {site}</title>
<link href="style.css" rel="stylesheet" type="text/css">
<script language="javascript">function MM_openBrWindow(u,n,f){{window.open(u,n,f);}}</script>
</head>
<body bgcolor="#E6F0FA" leftmargin="0" topmargin="0">
<center>
<div id="top"><img src="images/banner.jpg" width="980" height="160" alt="{site}"></div>
<div id="menungang"><a href="index.php">Trang chủ</a> | <a href="gioithieu.php">Giới thiệu</a> | <a href="tintuc.php">Tin tức - Sự kiện</a> | <a href="vanban.php">Văn bản</a> | <a href="lienhe.php">Liên hệ</a></div>
<div id="khung" style="width:980px;background:#fff;text-align:left">
<div id="cottrai" style="float:left;width:220px">
<div class="tieudekhoi">Chuyên mục</div><a href="tintuc.php?cm=1">Tin hoạt động</a><br><a href="tintuc.php?cm=2">Nông nghiệp - Nông thôn</a><br><a href="tintuc.php?cm=3">Văn hóa - Xã hội</a>
<div class="tieudekhoi">Liên kết</div><a href="http://www.quangngai.gov.vn">Cổng TTĐT tỉnh Quảng Ngãi</a>
</div>
<div id="cotgiua" style="float:left;width:740px;padding:10px">
<font face="Arial" size="2"><a href="index.php">Trang chủ</a> » <a href="tintuc.php">Tin tức - Sự kiện</a></font>
<p style="font-size:18px;font-weight:bold;color:#C00000;margin-bottom:2px">{e(a["title"])}</p>
<p style="margin-top:0"><font face="Arial" size="2">{meta}</font></p>
<hr size="1" color="#CCCCCC">
{body}
{byline}
<p align="right"><a href="javascript:window.print()"><img src="images/print.gif" border="0"> In bài viết</a> &nbsp; <a href="#top">Về đầu trang</a></p>
<p><b><font color="#C00000">Tin đã đưa:</font></b></p>
<ul>{related_list("")}</ul>
</div>
<div style="clear:both"></div></div>
<div id="chantrang"><font size="1">Bản quyền © 2012 {site}. Thiết kế: Công ty TNHH Tin học ABC<br>Số lượt truy cập: <b>345.678</b></font></div>
</center>
<script>MM_preloadImages('images/menu_over.gif');</script>
</body></html>
""", clean, None

# --- layout 6: Joomla 3 -------------------------------------------------------------------------
def joomla(a, v, url, site):
    y, mo, d, h, mi = a["date"]
    body, clean = body_html(a, "p")
    byline = f'<p style="text-align: right;"><strong>{e(a["byline"])}</strong></p>' if a["byline"] else ""
    if v % 2 == 0:
        info = f'<dd class="published"><span class="icon-calendar"></span><time datetime="{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+07:00" itemprop="datePublished">Ngày đăng: {d:02}/{mo:02}/{y} {h:02}:{mi:02}</time></dd><dd class="hits"><span class="icon-eye-open"></span><meta itemprop="interactionCount" content="UserPageVisits:{a["views"]}" />Lượt xem: {a["views"]}</dd>'
    else:
        info = f'<dd class="create"><span class="icon-calendar"></span> Ngày tạo: {d:02}-{mo:02}-{y} {h:02}:{mi:02}</dd><dd class="hits"><span class="icon-eye-open"></span> Truy cập: {dot(a["views"])}</dd>'
    return f"""<!DOCTYPE html>
<html lang="vi-vn" dir="ltr"><head><meta name="viewport" content="width=device-width, initial-scale=1.0" /><meta charset="utf-8" />
<base href="{url}" /><meta name="author" content="Super User" /><meta name="generator" content="Joomla! - Open Source Content Management" />
<title>{e(a["title"])}</title>
<link href="/templates/protostar/favicon.ico" rel="shortcut icon" type="image/vnd.microsoft.icon" />
<link href="/templates/protostar/css/template.css?abc" rel="stylesheet" />
{SCRIPTS}
<script type="application/json" class="joomla-script-options new">{{"csrf.token":"abc","system.paths":{{"root":"","base":""}}}}</script>
</head>
<body class="site com_content view-article no-layout no-task itemid-{101+v}">
<div class="body" id="top"><div class="container">
<header class="header" role="banner"><div class="header-inner clearfix"><a class="brand pull-left" href="/"><span class="site-title" title="{site}">{site}</span></a>
<div class="header-search pull-right"><div class="search"><form action="/index.php" method="post" class="form-inline" role="search"><label for="mod-search-searchword" class="element-invisible">Tìm kiếm</label> <input name="searchword" id="mod-search-searchword" maxlength="200" class="inputbox search-query input-medium" type="search" placeholder="Tìm kiếm..." /></form></div></div></div></header>
<nav class="navigation" role="navigation"><ul class="nav menu nav-pills mod-list"><li class="item-101 default"><a href="/">Trang chủ</a></li><li class="item-102 current active"><a href="/index.php/tin-tuc">Tin tức</a></li><li class="item-103"><a href="/index.php/thong-bao">Thông báo</a></li></ul></nav>
<div class="moduletable"><ul itemscope itemtype="https://schema.org/BreadcrumbList" class="breadcrumb"><li>Bạn đang ở: &#160;</li><li itemprop="itemListElement"><a itemprop="item" href="/" class="pathway"><span itemprop="name">Trang chủ</span></a></li><li itemprop="itemListElement" class="active"><span itemprop="name">Tin tức</span></li></ul></div>
<div class="row-fluid"><main id="content" role="main" class="span9">
<div id="system-message-container"></div>
<div class="item-page" itemscope itemtype="https://schema.org/Article"><meta itemprop="inLanguage" content="vi-VN" />
<div class="page-header"><h2 itemprop="headline">{e(a["title"])}</h2></div>
<div class="icons"><div class="btn-group pull-right"><button class="btn dropdown-toggle" type="button" data-toggle="dropdown"><span class="icon-cog"></span></button><ul class="dropdown-menu"><li class="print-icon"><a href="{url}?tmpl=component&amp;print=1" title="In bài viết" rel="nofollow">In</a></li><li class="email-icon"><a href="/index.php?option=com_mailto&amp;tmpl=component" title="Gửi email" rel="nofollow">Email</a></li></ul></div></div>
<dl class="article-info muted"><dt class="article-info-term">Chi tiết</dt>
<dd class="category-name">Danh mục: <a href="/index.php/tin-tuc" itemprop="genre">Tin tức</a></dd>
{info}</dl>
<div itemprop="articleBody">
{body}
{byline}
</div>
<ul class="pager pagenav"><li class="previous"><a class="hasTooltip" title="Hội nghị triển khai công tác năm 2024" href="/index.php/tin-tuc/100-truoc" rel="prev"><span class="icon-chevron-left"></span> Trước</a></li><li class="next"><a href="/index.php/tin-tuc/102-sau" rel="next">Sau <span class="icon-chevron-right"></span></a></li></ul>
</div>
</main>
<div id="aside" class="span3"><div class="well "><h3 class="page-header">Tin mới</h3><ul class="latestnews mod-list"><li itemscope><a href="/index.php/tin-tuc/99-x" itemprop="url"><span itemprop="name">Thông báo kết quả xét tuyển viên chức năm 2024 của huyện</span></a></li></ul></div>
<div class="well "><h3 class="page-header">Đang truy cập</h3><p>Hiện có 23&#160;khách trực tuyến</p></div></div></div></div></div>
<footer class="footer" role="contentinfo"><div class="container"><hr /><p class="pull-right"><a href="#top" id="back-top">Lên đầu trang</a></p><p>&copy; 2024 {site}</p></div></footer>
</body></html>
""", clean, None

LAYOUTS = [
    ("liferay-journal", liferay_journal, "https://ducpho.quangngai.gov.vn/tin-tuc-su-kien/-/asset_publisher/kF3mQ2yLx9Pz/content/{slug}", "Thị xã Đức Phổ"),
    ("liferay-news", liferay_news, "https://tinhha.quangngai.gov.vn/chi-tiet-tin-tuc/-/news/{n}/{slug}.html", "UBND xã Tịnh Hà"),
    ("wordpress", wordpress, "https://nghiadung.vn/{y}/{mo:02}/{d:02}/{slug}/", "Trang TTĐT xã Nghĩa Dũng"),
    ("dnn-table", dnn_table, "http://binhson.quangngai.gov.vn/Default.aspx?tabid=72&ch=135&ItemID={n}", "Huyện Bình Sơn"),
    ("handmade", handmade, "http://xahanhthien.vn/tintuc/chitiet.php?id={n}", "Xã Hành Thiện"),
    ("joomla", joomla, "https://tinhky.gov.vn/index.php/tin-tuc/{n}-{slug}", "Xã Tịnh Kỳ"),
]

def item_id(url):
    """The importer's id rule (host, path, query; other characters as '-')."""
    from urllib.parse import urlsplit
    u = urlsplit(url)
    raw = u.hostname + (u.path or "/") + ("-" + u.query if u.query else "")
    out = ""
    for c in raw:
        c = c if (c.isascii() and c.isalnum()) or c in "._:/-" else "-"
        if c == "-" and out.endswith("-"):
            continue
        out += c
    return out.rstrip("/-")

def main():
    os.makedirs(OUT, exist_ok=True)
    fixture = json.load(open(FIXTURE, encoding="utf-8"))
    fixture_paras = re.findall(r"<p>(.*?)</p>", fixture["content_html"], re.S)
    counts = {}
    for i, a in enumerate(ARTICLES):
        if a.get("fixture"):
            a = dict(a, paras=[html.unescape(p) for p in fixture_paras])
        li = i % len(LAYOUTS)
        name, fn, pattern, site = LAYOUTS[li]
        v = counts.get(name, 0)
        counts[name] = v + 1
        y, mo, d, h, mi = a["date"]
        url = pattern.format(slug=a["slug"], n=400 + i, y=y, mo=mo, d=d)
        page, clean, og_site = fn(a, v, url, site)
        base = re.match(r"https?://[^/]+", url).group(0)
        clean = clean.replace("{base}", base)
        authors, agency = BYLINES[a["byline"]]
        source = agency or og_site or (site if name == "handmade" else None)  # handmade: name from sites.toml
        item = {"id": item_id(url), "title": a["title"], "url": url, "language": "vi",
                "date_published": f"{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:00+07:00",
                "authors": [{"name": n} for n in authors], "content_html": clean,
                "_reader": {"views": a["views"]}}
        if not authors:
            del item["authors"]
        if source:
            item["_reader"]["source"] = source
        stem = f"{i:02}-{name}-{a['slug']}"
        with open(os.path.join(OUT, stem + ".html"), "w", encoding="utf-8") as f:
            f.write(page)
        with open(os.path.join(OUT, stem + ".json"), "w", encoding="utf-8") as f:
            json.dump(item, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(counts)

main()
