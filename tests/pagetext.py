"""Reading a page as a user reads it: its visible text, its main content, its table's cells."""

import re


def text(html):
    """Visible text, with tags and runs of white space collapsed."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def main(response):
    """The page's own content, without the header, the footer and the scripts."""
    html = response.content.decode()
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def body_rows(html):
    """The text of each cell of each body row of the page's first table."""
    tbody = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
    ]
