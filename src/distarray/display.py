"""Notebook display of distributed arrays, from the client's metadata only (nothing is gathered)."""

import html
import math

#: Workers listed in the per-worker table; the others are counted in one row.
MAX_ROWS = 16


def _axis(m):
    """Short description of one axis's map: 'b', 'c', 'c(3)' (block-cyclic), 'u', 'n'."""
    if m.dist == "c" and m.block_size > 1:
        return "c(%d)" % m.block_size
    return m.dist


def _bytes(count):
    """``count`` bytes in B, kB, MB, GB or TB."""
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000:
            return "%.4g %s" % (count, unit)
        count /= 1000
    return "%.4g TB" % count


def _cells(tag, values):
    return "".join("<%s>%s</%s>" % (tag, html.escape(str(v)), tag) for v in values)


def _bar(fraction):
    """A horizontal bar, as wide as ``fraction`` of its cell."""
    return ('<div style="background:#4c78a8;height:0.7em;width:%.1f%%;min-width:1px"></div>'
            % (100 * fraction))


def repr_html(d):
    """HTML summary of a DistArray: shape, dtype, distribution, grid and per-worker sizes.

    Used as ``DistArray._repr_html_`` by Jupyter.  Only the client's metadata
    is read, so it is instantaneous for any size and works on a closed context.
    """
    distribution = d.distribution
    owned = [math.prod(shape) for shape in distribution.owned_shapes()]
    size = math.prod(distribution.shape)
    summary = [("shape", distribution.shape), ("dtype", d.dtype),
               ("size", "%d elements, %s" % (size, _bytes(size * d.dtype.itemsize))),
               ("dist", "(%s)" % ", ".join(_axis(m) for m in distribution.maps)),
               ("grid", distribution.grid_shape), ("workers", list(distribution.targets))]
    rows = ["<tr><th style='text-align:left'>%s</th><td style='text-align:left'>%s</td></tr>"
            % (html.escape(name), html.escape(str(value))) for name, value in summary]
    shown = range(min(distribution.nprocs, MAX_ROWS))
    largest = max(owned, default=0) or 1
    local_shapes = distribution.localshapes()
    workers = ["<tr>%s<td style='width:8em'>%s</td></tr>" % (
        _cells("td", (distribution.targets[i], distribution.coords(i), local_shapes[i],
                      owned[i])), _bar(owned[i] / largest))
        for i in shown]
    if distribution.nprocs > len(shown):
        workers.append("<tr><td colspan='5'>... %d more workers</td></tr>"
                       % (distribution.nprocs - len(shown)))
    return ("<div class='distarray'><b>DistArray</b><table>%s</table>"
            "<table><tr>%s</tr>%s</table></div>"
            % ("".join(rows), _cells("th", ("worker", "grid coords", "local shape", "owned",
                                            "load")), "".join(workers)))
