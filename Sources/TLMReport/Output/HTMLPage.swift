import TLMRecorder

/// One self-contained HTML page: inline style, inline SVG, no script, no font
/// or style fetched from anywhere. Written as well-formed XML (XHTML syntax)
/// so that any XML parser reads it, and laid out for a laptop screen and for
/// print.
struct HTMLPage {
    struct Section {
        var id: String
        var heading: String
        /// A sentence under the heading, or empty.
        var lead: String = ""
        /// The section's chart (`SVG`), or empty.
        var chart: String = ""
        /// A table's rows: the first is the header.
        var table: [[String]] = []
        /// Columns (by index) aligned right: numbers.
        var numericColumns: Set<Int> = []
    }

    var title: String
    var subtitle: String
    /// `tlm 0.9.0`: the library does not know the command line's version.
    var generator: String
    var sections: [Section]

    static let style = """
        :root{--fg:#1d2430;--muted:#5b6577;--bar:#3d6fb6;--alert:#c8402f;--cancel:#c99a2e;--ok:#3f8f5a;--rule:#d9dee7}
        *{box-sizing:border-box}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);max-width:64rem;margin:2rem auto;padding:0 1.25rem}
        h1{font-size:1.6rem;margin:0 0 .2rem}
        h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--rule);padding-bottom:.25rem}
        p.sub,p.lead{color:var(--muted);margin:.2rem 0 .8rem}
        svg{width:100%;height:auto;display:block;margin:.5rem 0 1rem}
        svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
        svg .bar{fill:var(--bar)} svg .alert{fill:var(--alert)} svg .cancel{fill:var(--cancel)} svg .ok{fill:var(--ok)}
        svg .axis{stroke:var(--rule)}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;margin-bottom:1rem}
        th,td{padding:.3rem .6rem;border-bottom:1px solid var(--rule);text-align:left}
        th{font-weight:600;color:var(--muted)} td.n,th.n{text-align:right}
        section{break-inside:avoid}
        @media print{body{margin:0;max-width:none;font-size:11pt} h2{break-after:avoid}}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--muted:#a3acbd;--rule:#3a4150} body{background:#161a21}}
        """

    func render() -> String {
        var out = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="generator" content="\(Escaping.markup(generator))"/>
            <title>\(Escaping.markup(title))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <h1>\(Escaping.markup(title))</h1>
            <p class="sub">\(Escaping.markup(subtitle))</p>

            """
        for section in sections {
            out += "<section id=\"\(Escaping.markup(section.id))\">\n<h2>\(Escaping.markup(section.heading))</h2>\n"
            if !section.lead.isEmpty { out += "<p class=\"lead\">\(Escaping.markup(section.lead))</p>\n" }
            if !section.chart.isEmpty { out += section.chart + "\n" }
            if let header = section.table.first {
                out += "<table>\n<thead><tr>"
                for (index, cell) in header.enumerated() {
                    out += section.numericColumns.contains(index) ? "<th class=\"n\">" : "<th>"
                    out += Escaping.markup(cell) + "</th>"
                }
                out += "</tr></thead>\n<tbody>\n"
                for row in section.table.dropFirst() {
                    out += "<tr>"
                    for (index, cell) in row.enumerated() {
                        out += section.numericColumns.contains(index) ? "<td class=\"n\">" : "<td>"
                        out += Escaping.markup(cell) + "</td>"
                    }
                    out += "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            out += "</section>\n"
        }
        out += "</body>\n</html>\n"
        return out
    }
}
