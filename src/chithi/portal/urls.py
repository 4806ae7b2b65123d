"""URLs: public pages (/tin-tuc/, /tim/, /so-lieu/, /sitemap.xml) and staff pages (/tin-bai/)."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from chithi.core.views import public

from . import feeds, views
from . import public as pages
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    # public, no account
    path("tin-tuc/", pages.news, name="news"),
    path("tin-tuc/rss/", feeds.rss, name="rss"),
    path("tin-tuc/atom/", feeds.atom, name="atom"),
    path("tin-tuc/chuyen-muc/<slug:slug>/", pages.category, name="category"),
    path("tin-tuc/chuyen-muc/<slug:slug>/rss/", feeds.rss, name="category_rss"),
    path("tin-tuc/chuyen-muc/<slug:slug>/atom/", feeds.atom, name="category_atom"),
    path("tin-tuc/anh/<int:pk>/<int:width>/", pages.image, name="image"),
    path("tin-tuc/<slug:slug>/", pages.article, name="article"),
    path("tin-tuc/<slug:slug>/phan-hoi/", pages.feedback, name="feedback"),
    path("tim/", pages.search, name="search"),
    path("so-lieu/", pages.figures, name="figures"),
    path("sitemap.xml", public(cache_page(3600)(sitemap_views.index)),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "portal:sitemap_section"}, name="sitemap"),
    path("sitemap-<section>.xml", public(cache_page(3600)(sitemap_views.sitemap)), {"sitemaps": SITEMAPS},
         name="sitemap_section"),
    # staff
    path("tin-bai/", views.article_list, name="article_list"),
    path("tin-bai/them/", views.article_create, name="article_create"),
    path("tin-bai/phan-hoi/", views.feedback_queue, name="feedback_queue"),
    path("tin-bai/phan-hoi/<int:pk>/<str:step>/", views.feedback_action, name="feedback_action"),
    path("tin-bai/<int:pk>/", views.article_detail, name="article_detail"),
    path("tin-bai/<int:pk>/sua/", views.article_edit, name="article_edit"),
    path("tin-bai/<int:pk>/anh/", views.article_image, name="article_image"),
    path("tin-bai/<int:pk>/phien-ban/", views.article_versions, name="article_versions"),
    path("tin-bai/<int:pk>/lich-su/", views.article_history, name="article_history"),
    path("tin-bai/<int:pk>/<str:step>/", views.article_action, name="article_action"),
]
