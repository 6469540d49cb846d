//! Text in the width of a terminal: aligned columns, tables split into parts one under the
//! other where wider than [`LINE_WIDTH`], and sentences wrapped between words.

use std::fmt::Write;

/// Widest a table's line may be, in characters, before its figures are split over parts:
/// wide enough for most terminals and for the code blocks of the docs.
pub(super) const LINE_WIDTH: usize = 120;

/// `text` with every line of prose longer than [`LINE_WIDTH`] wrapped between words. The
/// continuation lines of an indented line (an item under a table) hang two spaces further
/// in, so that the next item stands out; those of a heading start at the margin. A line
/// holding a run of three spaces after its indent is a table's row (columns stand three
/// apart) and is left as it is: tables keep within the width by parts (see
/// [`columns_in_parts`]).
/// A no-break space (U+00A0) joins words that must stay on one line; every one comes out
/// as a plain space.
pub(crate) fn wrap_prose(text: &str) -> String {
    wrap_lines(text, |body| {
        let indent = body.len() - body.trim_start_matches(' ').len();
        match (body[indent..].contains("   "), indent) {
            (true, _) => None,
            (false, 0) => Some((0, 0)),
            (false, _) => Some((indent, indent + 2)),
        }
    })
}

/// `text`, a list of labels and their values (`NOT FEASIBLE        the targets are not met
/// …`), with every value that would reach past [`LINE_WIDTH`] wrapped under itself: values
/// begin `column` characters in. A no-break space joins words as in [`wrap_prose`].
pub(super) fn wrap_values(text: &str, column: usize) -> String {
    wrap_lines(text, |body| {
        let start = body.char_indices().nth(column)?.0;
        (body[..start].ends_with(' ') && !body[start..].starts_with(' ')).then_some((start, column))
    })
}

/// A space between words that wrapping keeps on one line (see [`wrap_prose`]).
pub(super) const NO_BREAK: char = '\u{a0}';

/// `text` with each line longer than [`LINE_WIDTH`] for which `wrap` gives where its words
/// begin (a byte offset) and how many spaces its continuation lines begin with, wrapped
/// between those words; no-break spaces made plain.
fn wrap_lines(text: &str, wrap: impl Fn(&str) -> Option<(usize, usize)>) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let how = (body.chars().count() > LINE_WIDTH)
            .then(|| wrap(body))
            .flatten();
        let Some((start, hanging)) = how else {
            out.push_str(line);
            continue;
        };
        out.push_str(&body[..start]);
        let mut width = body[..start].chars().count();
        for (i, word) in body[start..].split(' ').enumerate() {
            let w = word.chars().count();
            if i > 0 && width + 1 + w > LINE_WIDTH {
                out.push('\n');
                out.push_str(&" ".repeat(hanging));
                width = hanging;
            } else if i > 0 {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += w;
        }
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out.replace(NO_BREAK, " ")
}

/// Appends `rows` under `header` as [`columns`] does, the first `left` columns (the labels)
/// left-aligned, split into parts one under the other where wider than [`LINE_WIDTH`] (see
/// [`split`]). Each part repeats the labels; given `short` (one per row: an element's id,
/// a sweep's point), the parts after the first are labelled by it alone. Figures whose
/// headers begin with the same `group_words` words are kept together where they can be.
pub(super) fn columns_in_parts(
    out: &mut String,
    header: &[&str],
    rows: &[Vec<String>],
    left: usize,
    short: Option<&[String]>,
    group_words: usize,
) {
    let chars = |s: &str| s.chars().count();
    let width = |i: usize| (rows.iter().map(|r| chars(&r[i]))).fold(chars(header[i]), usize::max);
    let figures: Vec<usize> = (left..header.len()).map(width).collect();
    // The labels, three spaces apart as every column.
    let first = ((0..left).map(|i| width(i) + 3).sum::<usize>()).saturating_sub(3);
    let rest = short.map_or(first, |s| {
        (s.iter().map(|l| chars(l))).fold(chars(header[0]), usize::max)
    });
    let parts = split(&figures, &header[left..], group_words, first, rest);
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for (p, range) in parts.iter().enumerate() {
        if p > 0 {
            let _ = writeln!(out);
        }
        let (labels, short) = match short {
            Some(s) if p > 0 => (1, Some(s)),
            _ => (left, None),
        };
        let part = |i: Option<usize>, row: &[String]| {
            let mut cells = match (short, i) {
                (Some(s), Some(i)) => vec![s[i].clone()],
                _ => row[..labels].to_vec(),
            };
            cells.extend_from_slice(&row[left + range.start..left + range.end]);
            cells
        };
        let head = part(None, &header);
        let body = rows.iter().enumerate().map(|(i, r)| part(Some(i), r));
        let lines: Vec<Vec<String>> = std::iter::once(head).chain(body).collect();
        columns(out, lines.iter(), labels);
    }
}

/// The figure columns of each part of a table whose figures are `figures` characters wide
/// and headed `labels`, whose row labels are `first` wide in the first part and `rest` in
/// the others: as few parts as keep every line within [`LINE_WIDTH`] (a figure too wide
/// for it alone gets a part of its own); among those splits, the one cutting fewest groups
/// of figures (columns whose labels begin with the same `group_words` words: `wait h mean`
/// and `wait h p95` for one word, `crossing post wait h mean` and `crossing post
/// utilization` for two), then the one whose first parts are fullest, as a table is read.
fn split(
    figures: &[usize],
    labels: &[&str],
    group_words: usize,
    first: usize,
    rest: usize,
) -> Vec<std::ops::Range<usize>> {
    let n = figures.len();
    if n == 0 {
        return std::iter::once(0..0).collect();
    }
    let group = |i: usize| labels[i].split(' ').take(group_words).collect::<Vec<_>>();
    // Per first figure `i` of a part after the first (`i` = 0: the first part), the best
    // split of the figures from `i` on, as (parts, groups cut, part lengths), the least
    // being the best: the lengths compared in reverse, so that fuller first parts win.
    type Best = (usize, usize, std::cmp::Reverse<Vec<usize>>);
    let mut best: Vec<Option<Best>> = vec![None; n + 1];
    best[n] = Some((0, 0, std::cmp::Reverse(Vec::new())));
    for i in (0..n).rev() {
        // Two spaces of indent, then the label; three spaces before each figure.
        let mut line = 2 + if i == 0 { first } else { rest };
        for j in i + 1..=n {
            line += 3 + figures[j - 1];
            if j > i + 1 && line > LINE_WIDTH {
                break;
            }
            let Some((parts, cut, std::cmp::Reverse(lengths))) = best[j].clone() else {
                continue;
            };
            let cuts_group = j < n && group(j - 1) == group(j);
            let mut all = vec![j - i];
            all.extend(lengths);
            let candidate = (
                parts + 1,
                cut + usize::from(cuts_group),
                std::cmp::Reverse(all),
            );
            if best[i].as_ref().is_none_or(|b| candidate < *b) {
                best[i] = Some(candidate);
            }
        }
    }
    let lengths = best[0].take().map(|(_, _, l)| l.0).unwrap_or_default();
    let mut start = 0;
    (lengths.into_iter())
        .map(|len| {
            start += len;
            start - len..start
        })
        .collect()
}

/// Appends `rows` as aligned columns, indented two spaces and three apart: the first `left`
/// columns left-aligned, the others right-aligned.
pub(super) fn columns<R: AsRef<[String]>>(
    out: &mut String,
    rows: impl Iterator<Item = R> + Clone,
    left: usize,
) {
    let width = widths(rows.clone());
    for row in rows {
        let mut line = String::from(" ");
        for (i, c) in row.as_ref().iter().enumerate() {
            push_cell(&mut line, (i, c), width[i], left);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The widest cell of each column of `rows`, in characters.
fn widths<R: AsRef<[String]>>(rows: impl Iterator<Item = R>) -> Vec<usize> {
    let mut width: Vec<usize> = Vec::new();
    for row in rows {
        for (i, c) in row.as_ref().iter().enumerate() {
            if i == width.len() {
                width.push(0);
            }
            width[i] = width[i].max(c.chars().count());
        }
    }
    width
}

/// Appends cell `c` of column `i` to `line`, padded to `width`: three spaces after the
/// column before, left-aligned among the first `left` columns, else right-aligned.
fn push_cell(line: &mut String, (i, c): (usize, &str), width: usize, left: usize) {
    let pad = " ".repeat(width.saturating_sub(c.chars().count()));
    line.push_str(if i == 0 { " " } else { "   " });
    if i < left {
        line.push_str(c);
        line.push_str(&pad);
    } else {
        line.push_str(&pad);
        line.push_str(c);
    }
}

/// The narrowest [`columns_within`] cuts a label column to: names up to this long (a
/// metric such as `idle_locomotives:samarkand`) always stand beside their figures.
pub(super) const LABEL_FLOOR: usize = 30;

/// Appends `rows` as [`columns`] does, keeping every line within [`LINE_WIDTH`] where the
/// labels allow: when the table would be wider, the last label column (`left - 1`) is cut
/// to the width that leaves the figures room, but never below [`LABEL_FLOOR`] nor its
/// header, and a row whose label there is longer has its labels on a line of their own and
/// its figures on the next, under their columns. Figures too wide for the line with labels
/// that short make it wider.
pub(super) fn columns_within<R: AsRef<[String]>>(
    out: &mut String,
    rows: impl Iterator<Item = R> + Clone,
    left: usize,
) {
    let chars = |s: &String| s.chars().count();
    let mut width = widths(rows.clone());
    let line_of = |w: &[usize]| w.iter().map(|w| w + 3).sum::<usize>().saturating_sub(1);
    let last = left.checked_sub(1).filter(|&l| l < width.len());
    let Some(last) = last.filter(|_| line_of(&width) > LINE_WIDTH) else {
        return columns(out, rows, left);
    };
    let total = line_of(&width);
    let head = (rows.clone().next()).and_then(|r| r.as_ref().get(last).map(chars));
    let room = LINE_WIDTH.saturating_sub(total - width[last]);
    width[last] = (room.max(head.unwrap_or(0)).max(LABEL_FLOOR)).min(width[last]);
    for row in rows {
        let row = row.as_ref();
        let long = row.get(last).is_some_and(|c| chars(c) > width[last]);
        let mut line = String::from(" ");
        for (i, c) in row.iter().enumerate() {
            if long && i == left {
                // The figures under their columns, on a line of their own.
                let _ = writeln!(out, "{}", line.trim_end());
                line = " ".repeat(line_of(&width[..left]));
            }
            push_cell(&mut line, (i, c), width[i], left);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// `text` with its first letter a capital.
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figure columns of each part, from `split`.
    fn parts_of(figures: &[usize], labels: &[&str], first: usize, rest: usize) -> Vec<Vec<usize>> {
        (split(figures, labels, 1, first, rest).into_iter())
            .map(|r| r.collect())
            .collect()
    }

    #[test]
    fn a_table_within_the_line_stays_whole() {
        let labels = [
            "vehicles",
            "TEU",
            "utilization",
            "wait h mean",
            "wait h p95",
        ];
        assert_eq!(
            parts_of(&[15, 17, 13, 13, 13], &labels, 27, 27),
            vec![vec![0, 1, 2, 3, 4]]
        );
    }

    #[test]
    fn a_split_keeps_figures_of_one_kind_together_and_fills_the_first_part_first() {
        // Flows: delivered and backlog fit beside the long labels, the three transit
        // times together after them, though a cut inside them would fit too.
        let labels = [
            "delivered TEU/year",
            "backlog TEU",
            "transit h mean",
            "transit h p50",
            "transit h p95",
        ];
        assert_eq!(
            parts_of(&[18, 13, 21, 21, 21], &labels, 36, 36),
            vec![vec![0, 1], vec![2, 3, 4]]
        );
        // Fleets: the six shares of stock, then the trains.
        let labels = [
            "wagons loaded",
            "wagons empty",
            "wagons idle",
            "locos loaded",
            "locos empty",
            "locos idle",
            "trains delayed",
            "wait h mean",
            "wait h p95",
            "empty train-km",
        ];
        let widths = [13, 13, 13, 13, 13, 13, 14, 13, 11, 20];
        assert_eq!(
            parts_of(&widths, &labels, 13, 13),
            vec![(0..6).collect::<Vec<_>>(), (6..10).collect()]
        );
    }

    #[test]
    fn many_figures_fill_parts_as_few_figures_do() {
        // 28 figures of 20 characters beside labels of 10: four a part (2 + 10 + 4 × 23 =
        // 104; five would take 127), never one a part.
        let names: Vec<String> = (0..28).map(|i| format!("figure{i} h")).collect();
        let labels: Vec<&str> = names.iter().map(String::as_str).collect();
        let parts = parts_of(&[20; 28], &labels, 10, 10);
        let lengths: Vec<usize> = parts.iter().map(Vec::len).collect();
        assert_eq!(lengths, [4, 4, 4, 4, 4, 4, 4], "{parts:?}");
    }

    #[test]
    fn figures_of_one_element_stay_together_when_grouped_by_two_words() {
        // A sweep's columns: the network's transit, then two figures of each of three
        // segments. Cuts between elements need no more parts than cuts inside them.
        let labels = [
            "network transit h mean per TEU",
            "segment urumqi-jinghe wait h mean",
            "segment urumqi-jinghe utilization",
            "segment jinghe-alashankou wait h mean",
            "segment jinghe-alashankou utilization",
            "segment almaty-shu wait h mean",
            "segment almaty-shu utilization",
        ];
        let widths: Vec<usize> = labels.iter().map(|l| l.len()).collect();
        let parts: Vec<Vec<usize>> = (split(&widths, &labels, 2, 5, 5).into_iter())
            .map(|r| r.collect())
            .collect();
        for part in &parts[1..] {
            assert_eq!(part.len(), 2, "{parts:?}");
            assert_eq!(
                labels[part[0]].split(' ').nth(1),
                labels[part[1]].split(' ').nth(1)
            );
        }
    }

    #[test]
    fn a_figure_wider_than_the_line_gets_a_part_of_its_own() {
        let labels = ["a", "b", "c"];
        assert_eq!(
            parts_of(&[10, 200, 10], &labels, 10, 10),
            vec![vec![0], vec![1], vec![2]]
        );
        assert_eq!(parts_of(&[], &[], 10, 10), vec![Vec::<usize>::new()]);
    }

    #[test]
    fn a_wide_table_reads_in_parts_that_repeat_the_element_column_by_id_after_the_first() {
        let header: Vec<String> = std::iter::once("crossing".to_string())
            .chain((1..=8).map(|i| format!("figure {i} h mean")))
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = ["one", "two"]
            .iter()
            .map(|id| {
                std::iter::once(format!("A crossing with a long display name ({id})"))
                    .chain((1..=8).map(|i| format!("{i}{i}{i}.{i} ± {i}.{i}{i} (1{i}.0 d)")))
                    .collect()
            })
            .collect();
        let ids = ["one".to_string(), "two".to_string()];
        let mut out = String::new();
        columns_in_parts(&mut out, &header, &rows, 1, Some(&ids), 1);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        let heads: Vec<&&str> = lines
            .iter()
            .filter(|l| l.starts_with("  crossing "))
            .collect();
        assert!(heads.len() >= 2, "{out}");
        // Every figure once, in order, under its own heading.
        for i in 1..=8 {
            assert_eq!(
                out.matches(&format!("figure {i} h mean")).count(),
                1,
                "{out}"
            );
            assert_eq!(out.matches(&format!("{i}{i}{i}.{i} ±")).count(), 2, "{out}");
        }
        assert_eq!(out.matches("long display name (one)").count(), 1, "{out}");
        assert_eq!(
            (lines.iter().filter(|l| l.starts_with("  one "))).count(),
            heads.len() - 1,
            "{out}"
        );
    }

    #[test]
    fn long_prose_wraps_between_words_hanging_under_its_indent_and_table_rows_stay_whole() {
        let words = "figures tested, of which some significant at 95 %; ".repeat(6);
        let text = format!(
            "  {words}\n  row   {}\nshort line\n",
            "1.0 ± 0.1   ".repeat(15)
        );
        let out = wrap_prose(&text);
        let lines: Vec<&str> = out.lines().collect();
        let row = lines.iter().find(|l| l.starts_with("  row")).unwrap();
        assert_eq!(row.trim_end(), text.lines().nth(1).unwrap().trim_end());
        let prose: Vec<&&str> = lines
            .iter()
            .take_while(|l| !l.starts_with("  row"))
            .collect();
        assert!(prose.len() >= 3, "{out}");
        // The first line at its indent, the others hanging two spaces further in.
        assert!(prose[0].starts_with("  f"), "{out}");
        assert!(
            (prose[1..].iter()).all(|l| l.starts_with("    ") && !l.starts_with("     ")),
            "{out}"
        );
        assert!(
            prose.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        let rejoined: Vec<&str> = prose.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(rejoined, words.split_whitespace().collect::<Vec<_>>());
        assert!(out.ends_with("short line\n"));
    }

    #[test]
    fn words_joined_by_a_no_break_space_stay_on_one_line_and_come_out_plain() {
        let pair = format!("dostyk-rail{NO_BREAK}-5.200");
        let text = format!("  acts: {}\n", [pair.as_str(); 12].join(", "));
        let out = wrap_prose(&text);
        assert!(!out.contains(NO_BREAK), "{out}");
        assert!(out.lines().count() >= 2, "{out}");
        for line in out.lines() {
            assert!(
                line.trim_end().ends_with(',') || line.ends_with("-5.200"),
                "{out}"
            );
        }
    }

    #[test]
    fn a_label_too_long_for_the_line_puts_its_figures_on_the_next_under_their_columns() {
        let row = |a: &str, b: &str, x: &str, y: &str| -> Vec<String> {
            [a, b, x, y].iter().map(|s| s.to_string()).collect()
        };
        let long = format!("route_share:{}", "node>".repeat(14));
        let rows = [
            row("element", "metric", "base", "difference"),
            row("flow a", "transit_h.mean", "1.0", &"9".repeat(40)),
            row("flow b", &long, "2.0", "-1"),
        ];
        let mut narrow = String::new();
        columns_within(&mut narrow, rows[..2].iter(), 2);
        let mut plain = String::new();
        columns(&mut plain, rows[..2].iter(), 2);
        assert_eq!(
            narrow, plain,
            "a table within the line is laid out as columns"
        );

        let mut out = String::new();
        columns_within(&mut out, rows.iter(), 2);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(
            lines.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        assert_eq!(as_words(lines[2]), ["flow", "b", long.as_str()], "{out}");
        // The long row's figures end where the columns' do.
        assert!(lines[3].starts_with(&" ".repeat(20)), "{out}");
        assert_eq!(lines[3].chars().count(), lines[0].chars().count(), "{out}");
        assert!(
            lines[3].ends_with("   -1") && lines[3].contains("2.0"),
            "{out}"
        );
        let base = |l: &str| l.find("1.0").or(l.find("2.0")).unwrap();
        assert_eq!(base(lines[1]), base(lines[3]), "{out}");
    }

    #[test]
    fn names_up_to_the_floor_stay_beside_their_figures_even_where_figures_are_wide() {
        let row = |cells: &[&str]| -> Vec<String> { cells.iter().map(|s| s.to_string()).collect() };
        let name = "idle_locomotives:samarkand";
        let rows = [
            row(&["element", "metric", "difference"]),
            row(&["fleet broad-1520", name, &"9".repeat(100)]),
        ];
        let mut out = String::new();
        columns_within(&mut out, rows.iter(), 2);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(out.lines().nth(1).unwrap().contains(name), "{out}");

        // Rows of unequal lengths, a header alone, no rows, no labels: laid out, no panic.
        let ragged = [row(&["a"]), row(&["b", &"x".repeat(90), &"9".repeat(90)])];
        for left in 0..4 {
            let mut out = String::new();
            columns_within(&mut out, ragged.iter(), left);
            columns_within(&mut out, ragged[..1].iter(), left);
            columns_within(&mut out, ragged[..0].iter(), left);
            assert!(out.contains('b'), "{out}");
        }
    }

    #[test]
    fn a_long_value_beside_its_label_wraps_under_itself() {
        let value = "the targets are not met even at 1/64 of the container demand ".repeat(3);
        let text = format!(
            "NOT FEASIBLE        {}\nshort               line\n",
            value.trim_end()
        );
        let out = wrap_values(&text, 20);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() >= 2, "{out}");
        assert!(
            lines[0].starts_with("NOT FEASIBLE        the targets"),
            "{out}"
        );
        for l in &lines[1..lines.len() - 1] {
            assert!(
                l.starts_with(&" ".repeat(20)) && !l.starts_with(&" ".repeat(21)),
                "{out}"
            );
        }
        assert!(
            lines.iter().all(|l| l.chars().count() <= LINE_WIDTH),
            "{out}"
        );
        assert_eq!(as_words(&out), as_words(&text));
    }

    /// The words of `text`, whatever its wrapping.
    fn as_words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }
}
