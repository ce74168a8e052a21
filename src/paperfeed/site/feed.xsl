<?xml version="1.0" encoding="UTF-8"?>
<!--
  paperfeed: shows an Atom or RSS feed opened in a browser as a readable page.
  Only text nodes and attribute values are copied (no disable-output-escaping), so nothing
  from the feed can become markup here. @@NAME@@ marks are filled in per language by
  paperfeed.render.site (render_stylesheet).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:pf="https://github.com/paperfeed/paperfeed/ns/1.0"
    exclude-result-prefixes="atom pf">
  <xsl:output method="html" encoding="UTF-8" indent="no"
      doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
    <xsl:variable name="self"
        select="atom:feed/atom:link[@rel='self']/@href | rss/channel/atom:link[@rel='self']/@href"/>
    <html lang="@@LANG@@">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (@@FEED@@)</title>
        <link rel="icon" href="../assets/favicon.png"/>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 46rem;
                 padding: 1rem; color: #222; background: #fff; }
          header { border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
          .hint { background: #fff4e0; border: 1px solid #ffc266; border-radius: 6px;
                  padding: .75rem 1rem; }
          .hint code { user-select: all; word-break: break-all; background: #fff;
                       padding: .1rem .3rem; border-radius: 3px; }
          article { border-bottom: 1px solid #eee; padding: .75rem 0; }
          article h2 { font-size: 1.05rem; margin: 0 0 .25rem; }
          .meta { color: #666; font-size: .9rem; }
          .up { color: #c66a00; font-weight: 600; }
          a { color: #0b57d0; }
          @media (prefers-color-scheme: dark) {
            body { background: #161616; color: #ddd; } .meta { color: #aaa; }
            .hint { background: #2a2110; border-color: #6b4a12; } .hint code { background: #000; }
            a { color: #8ab4f8; } article { border-color: #333; }
          }
        </style>
      </head>
      <body>
        <header>
          <p><a href="../">paperfeed</a></p>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="atom:feed/atom:subtitle | rss/channel/description"/></p>
          <p class="hint">@@HINT@@ <code><xsl:value-of select="$self"/></code></p>
        </header>
        <main>
          <xsl:apply-templates select="atom:feed/atom:entry | rss/channel/item"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry | item">
    <!-- rel defaults to "alternate" in Atom, and feedgen leaves it out -->
    <xsl:variable name="link"
        select="atom:link[@rel='alternate' or not(@rel)]/@href | link"/>
    <article>
      <h2>
        <xsl:if test="pf:rank"><xsl:value-of select="concat('#', pf:rank, ' ')"/></xsl:if>
        <a>
          <xsl:if test="starts-with($link, 'https://') or starts-with($link, 'http://')">
            <xsl:attribute name="href"><xsl:value-of select="$link"/></xsl:attribute>
          </xsl:if>
          <xsl:value-of select="atom:title | title"/>
        </a>
      </h2>
      <p class="meta">
        <xsl:if test="pf:upvotes">
          <span class="up">
            <xsl:text>▲ </xsl:text>
            <xsl:choose>
              <xsl:when test="pf:upvotes = 1">@@UPVOTE_1@@</xsl:when>
              <xsl:otherwise>@@UPVOTE_N@@</xsl:otherwise>
            </xsl:choose>
          </span>
          <xsl:text> · </xsl:text>
          <xsl:choose>
            <xsl:when test="pf:comments = 1">@@COMMENT_1@@</xsl:when>
            <xsl:otherwise>@@COMMENT_N@@</xsl:otherwise>
          </xsl:choose>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:value-of select="pf:day"/>
      </p>
      <p>
        <xsl:value-of select="atom:summary"/>
        <!-- RSS descriptions are HTML-escaped text: unescape to text, never to markup -->
        <xsl:call-template name="unescape">
          <xsl:with-param name="text" select="description"/>
        </xsl:call-template>
      </p>
    </article>
  </xsl:template>

  <xsl:template name="unescape">
    <xsl:param name="text"/>
    <xsl:call-template name="replace">
      <xsl:with-param name="text">
        <xsl:call-template name="replace">
          <xsl:with-param name="text">
            <xsl:call-template name="replace">
              <xsl:with-param name="text" select="$text"/>
              <xsl:with-param name="from" select="'&amp;lt;'"/>
              <xsl:with-param name="to" select="'&lt;'"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="from" select="'&amp;gt;'"/>
          <xsl:with-param name="to" select="'&gt;'"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="from" select="'&amp;amp;'"/>
      <xsl:with-param name="to" select="'&amp;'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="concat(substring-before($text, $from), $to)"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
