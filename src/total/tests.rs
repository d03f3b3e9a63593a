//! Unit tests of adding up: stocks and flows, parts standing in for a
//! total row, ratios of sums, last year, errors and targets.

use std::sync::Arc;

use super::*;
use crate::model::{Entries, Entry, RuleRef, Source};
use crate::schema::Schema;

/// An accepted report of hamlet `h` for `(year, month)` on the whole form,
/// each figure in a cell of its own (the file names the hamlet and month,
/// the row the indicator), the cells not given left blank.
fn sub(schema: &Schema, h: usize, (year, month): (i32, u32), figures: &[(&str, f64)]) -> Submission {
    let file: Arc<str> = format!("thon{h}-{year}-{month:02}.xlsx").into();
    let sheet: Arc<str> = "S".into();
    let source =
        |i: IndicatorId| Source { file: file.clone(), sheet: sheet.clone(), row: 5 + i.index() as u32, col: 3 };
    let mut entries = Entries::from_vec(
        schema
            .form_indicators()
            .map(|i| Some(Entry { value: None, decimals: 0, unreadable: false, missing: false, source: source(i) }))
            .collect(),
    );
    for &(code, value) in figures {
        let i = schema.indicator(code).unwrap();
        entries[i] =
            Some(Entry { value: Some(value), decimals: 0, unreadable: false, missing: false, source: source(i) });
    }
    Submission {
        file: file.clone(),
        path: file.to_string().into(),
        sheet: Some(sheet),
        hamlet: Some(HamletId::new(h)),
        period: Period::new(year, month),
        status: Status::Accepted,
        modified: None,
        entries,
    }
}

fn run(schema: &Schema, subs: &[Submission], (year, month): (i32, u32), findings: &[Finding]) -> Totals {
    totals(subs, schema, Period::new(year, month).unwrap(), findings)
}

/// The reports given, and a blank one for every other hamlet and month of
/// the year so far: a total that lacks no report.
fn everyone(schema: &Schema, subs: &[Submission], (year, month): (i32, u32)) -> Vec<Submission> {
    let mut all = subs.to_vec();
    for h in 0..schema.hamlets.len() {
        for m in 1..=month {
            let p = Period::new(year, m);
            if !subs.iter().any(|s| s.hamlet == Some(HamletId::new(h)) && s.period == p) {
                all.push(sub(schema, h, (year, m), &[]));
            }
        }
    }
    all
}

fn row<'a>(t: &'a Totals, schema: &Schema, code: &str) -> &'a Total {
    &t.rows[schema.indicator(code).unwrap()]
}

fn hamlet<'a>(t: &'a Totals, schema: &Schema, code: &str, h: usize) -> Option<&'a HamletFigure> {
    row(t, schema, code).hamlets[HamletId::new(h)].as_ref()
}

/// The cell a submission's figure was read from.
fn cell(s: &Submission, schema: &Schema, code: &str) -> Source {
    s.entry(schema.indicator(code).unwrap()).unwrap().source.clone()
}

fn finding(severity: Severity, at: &Source) -> Finding {
    Finding::new(severity, RuleRef::Reading("x"), "sai").at(at)
}

#[test]
fn a_stock_is_each_hamlets_latest_month_of_the_year() {
    let schema = Schema::builtin().unwrap();
    let mut superseded = sub(&schema, 0, (2024, 6), &[("lon", 7000.0)]);
    superseded.status = Status::Superseded;
    let subs = [
        sub(&schema, 0, (2024, 5), &[("lon", 100.0)]),
        sub(&schema, 0, (2024, 6), &[("lon", 120.0)]),
        superseded,
        sub(&schema, 0, (2024, 7), &[("lon", 500.0)]),
        // No pigs this month: May's figure stands.
        sub(&schema, 1, (2024, 5), &[("lon", 50.0)]),
        sub(&schema, 1, (2024, 6), &[("ho", 12.0)]),
        // Only last year.
        sub(&schema, 2, (2023, 12), &[("lon", 900.0)]),
    ];
    let t = run(&schema, &subs, (2024, 6), &[]);
    let lon = row(&t, &schema, "lon");
    assert_eq!(lon.value, Some(170.0));
    assert_eq!(lon.month_value, Some(120.0));
    let h0 = hamlet(&t, &schema, "lon", 0).unwrap();
    assert_eq!((h0.value, h0.from_month), (120.0, None));
    assert_eq!(h0.sources, vec![cell(&subs[1], &schema, "lon")]);
    let h1 = hamlet(&t, &schema, "lon", 1).unwrap();
    assert_eq!((h1.value, h1.from_month), (50.0, Period::new(2024, 5)));
    assert!(hamlet(&t, &schema, "lon", 2).is_none());
    assert_eq!(t.missing().map(HamletId::index).collect::<Vec<_>>(), [2, 3, 4, 5]);
}

#[test]
fn a_flow_adds_up_the_months_of_the_year() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2023, 12), &[("trong_rung", 40.0)]),
        sub(&schema, 0, (2024, 1), &[("trong_rung", 10.0)]),
        sub(&schema, 0, (2024, 3), &[("trong_rung", 5.5)]),
        sub(&schema, 0, (2024, 4), &[("trong_rung", 4.5)]),
        sub(&schema, 0, (2024, 5), &[("trong_rung", 100.0)]),
        sub(&schema, 1, (2024, 4), &[("trong_rung", 2.0)]),
    ];
    let t = run(&schema, &everyone(&schema, &subs, (2024, 4)), (2024, 4), &[]);
    let r = row(&t, &schema, "trong_rung");
    assert_eq!(r.value, Some(22.0));
    assert_eq!(r.month_value, Some(6.5));
    assert_eq!(r.projection, Some(66.0));
    let h0 = hamlet(&t, &schema, "trong_rung", 0).unwrap();
    assert_eq!((h0.value, h0.sources.len(), h0.from_month), (20.0, 3, None));
    // The 2024 target is a range, 1000 to 1200 ha: % of its low end.
    assert_eq!(r.goal, Some(Goal::Range { min: 1000.0, max: 1200.0 }));
    assert_eq!((r.percent_of_target, r.rating), (Some(2.2), Some(Rating::NotReached)));
}

#[test]
fn a_total_row_left_out_is_the_sum_of_its_parts_but_not_its_yield() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(
            &schema,
            0,
            (2024, 6),
            &[
                ("lua_xuan.dien_tich", 60.0),
                ("lua_xuan.nang_suat", 60.0),
                ("lua_xuan.san_luong", 360.0),
                ("lua_he_thu.dien_tich", 40.0),
                ("lua_he_thu.nang_suat", 50.0),
                ("lua_he_thu.san_luong", 200.0),
            ],
        ),
        // The total row given: its parts are not added up for it.
        sub(
            &schema,
            1,
            (2024, 6),
            &[
                ("lua.dien_tich", 20.0),
                ("lua.nang_suat", 50.0),
                ("lua.san_luong", 100.0),
                ("lua_xuan.dien_tich", 15.0),
                ("lua_xuan.san_luong", 75.0),
            ],
        ),
    ];
    let t = run(&schema, &subs, (2024, 6), &[]);
    let area = hamlet(&t, &schema, "lua.dien_tich", 0).unwrap();
    assert_eq!(area.value, 100.0);
    assert_eq!(
        area.sources,
        [cell(&subs[0], &schema, "lua_xuan.dien_tich"), cell(&subs[0], &schema, "lua_he_thu.dien_tich")]
    );
    assert_eq!(hamlet(&t, &schema, "lua.dien_tich", 1).unwrap().value, 20.0);
    assert_eq!(row(&t, &schema, "lua.dien_tich").value, Some(120.0));
    assert_eq!(row(&t, &schema, "lua.san_luong").value, Some(660.0));
    assert_eq!(row(&t, &schema, "lua_xuan.dien_tich").value, Some(75.0));
    // Hamlet 0's yields (60 and 50) do not add up to a yield of its total row.
    assert!(hamlet(&t, &schema, "lua.nang_suat", 0).is_none());
    assert_eq!(hamlet(&t, &schema, "lua.nang_suat", 1).unwrap().value, 50.0);
    // 660 tấn over 120 ha is 5.5 tấn/ha, 55 tạ/ha.
    assert_eq!(row(&t, &schema, "lua.nang_suat").value, Some(55.0));
}

#[test]
fn the_yield_of_a_season_not_harvested_everywhere_is_not_shown() {
    let schema = Schema::builtin().unwrap();
    // June: spring rice harvested, summer-autumn rice sown only.
    let subs = [sub(
        &schema,
        0,
        (2024, 6),
        &[
            ("lua_xuan.dien_tich", 12.0),
            ("lua_xuan.san_luong", 72.0),
            ("lua_xuan.nang_suat", 60.0),
            ("lua_he_thu.dien_tich", 8.0),
        ],
    )];
    let t = run(&schema, &subs, (2024, 6), &[]);
    let lua = row(&t, &schema, "lua.nang_suat");
    assert_eq!(lua.value, None, "72 t over 20 ha is no year's yield");
    let part = lua.withheld.map(|p| schema.indicators[p].group.clone().unwrap_or_default());
    assert_eq!(part.as_deref(), Some("Lúa vụ hè thu"));
    assert_eq!(row(&t, &schema, "lua_xuan.nang_suat").value, Some(60.0), "the spring yield is shown");
    assert_eq!(row(&t, &schema, "lua.dien_tich").value, Some(20.0));
}

#[test]
fn a_rate_is_formed_over_hamlets_giving_both_of_its_figures_in_one_month() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2024, 6), &[("ho", 200.0), ("ho_ngheo", 20.0)]),
        // Households but no poor households: left out of the rate, not 0.
        sub(&schema, 1, (2024, 6), &[("ho", 300.0)]),
        // Poor households of May with households of June: left out too.
        sub(&schema, 2, (2024, 5), &[("ho_ngheo", 5.0)]),
        sub(&schema, 2, (2024, 6), &[("ho", 100.0)]),
    ];
    let t = run(&schema, &subs, (2024, 6), &[]);
    let rate = row(&t, &schema, "ty_le_ho_ngheo");
    assert_eq!(rate.value, Some(10.0), "20 over 200, not 25 over 600");
    assert_eq!(rate.over.as_deref(), Some(&[HamletId::new(0)][..]));
    assert_eq!(rate.incomplete, [HamletId::new(1), HamletId::new(2)]);
    assert_eq!(row(&t, &schema, "ho").value, Some(600.0), "the households themselves all count");
}

#[test]
fn a_commune_yield_is_output_over_area_of_the_hamlets_giving_both() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2024, 6), &[("lac.dien_tich", 10.0), ("lac.san_luong", 30.0), ("lac.nang_suat", 30.0)]),
        sub(&schema, 1, (2024, 6), &[("lac.dien_tich", 30.0), ("lac.san_luong", 60.0), ("lac.nang_suat", 20.0)]),
        // Area without output: counts in the area, not in the yield.
        sub(&schema, 2, (2024, 6), &[("lac.dien_tich", 50.0), ("lac.nang_suat", 99.0)]),
    ];
    let t = run(&schema, &everyone(&schema, &subs, (2024, 6)), (2024, 6), &[]);
    assert_eq!(row(&t, &schema, "lac.dien_tich").value, Some(90.0));
    let ns = row(&t, &schema, "lac.nang_suat");
    // 90 tấn over 40 ha is 2.25 tấn/ha, 22.5 tạ/ha (the hamlets' mean would be 25).
    assert_eq!((ns.value, ns.month_value), (Some(22.5), Some(22.5)));
    assert_eq!(ns.goal, Some(Goal::Plan { value: 24.0 }));
    assert_eq!((ns.percent_of_target, ns.rating), (Some(93.75), Some(Rating::NotReached)));
    assert_eq!(hamlet(&t, &schema, "lac.nang_suat", 2).unwrap().value, 99.0);
}

#[test]
fn a_derived_rate_is_a_ratio_of_sums() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2024, 6), &[("ho", 200.0), ("ho_ngheo", 10.0)]),
        sub(&schema, 1, (2024, 6), &[("ho", 300.0), ("ho_ngheo", 6.0)]),
    ];
    let t = run(&schema, &everyone(&schema, &subs, (2024, 6)), (2024, 6), &[]);
    let rate = row(&t, &schema, "ty_le_ho_ngheo");
    // 16 of 500 households; the hamlets' rates are 5 % and 2 %.
    assert_eq!((rate.value, rate.month_value), (Some(3.2), Some(3.2)));
    assert_eq!(rate.goal, Some(Goal::AtMost { value: 3.8 }));
    assert_eq!(rate.rating, Some(Rating::Reached));
    let h0 = hamlet(&t, &schema, "ty_le_ho_ngheo", 0).unwrap();
    assert!((h0.value - 5.0).abs() < 1e-9, "{}", h0.value);
    assert_eq!(h0.sources.len(), 2);
}

#[test]
fn last_year_is_the_same_month_of_the_year_before() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2023, 5), &[("trong_rung", 3.0)]),
        sub(&schema, 0, (2023, 6), &[("lon", 100.0), ("trong_rung", 2.0)]),
        sub(&schema, 0, (2023, 7), &[("lon", 900.0), ("trong_rung", 50.0)]),
        sub(&schema, 1, (2023, 4), &[("lon", 60.0)]),
        sub(&schema, 0, (2024, 6), &[("lon", 120.0), ("trong_rung", 10.0)]),
        sub(&schema, 1, (2024, 6), &[("lon", 75.0)]),
    ];
    let t = run(&schema, &subs, (2024, 6), &[]);
    let lon = row(&t, &schema, "lon");
    assert_eq!((lon.value, lon.last_year, lon.change_from_last_year), (Some(195.0), Some(160.0), Some(21.875)));
    let rung = row(&t, &schema, "trong_rung");
    assert_eq!((rung.value, rung.last_year, rung.change_from_last_year), (Some(10.0), Some(5.0), Some(100.0)));
    // Nothing last year up to June: no comparison.
    let later = [subs[2].clone(), subs[4].clone()];
    let t = run(&schema, &later, (2024, 6), &[]);
    let lon = row(&t, &schema, "lon");
    assert_eq!((lon.value, lon.last_year, lon.change_from_last_year), (Some(120.0), None, None));
}

#[test]
fn an_error_at_a_cell_marks_the_totals_made_from_it() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2024, 5), &[("trong_rung", 1.0)]),
        sub(
            &schema,
            0,
            (2024, 6),
            &[("lac.dien_tich", 10.0), ("lac.san_luong", 30.0), ("trau", 5.0), ("bo", 7.0), ("lon", 40.0)],
        ),
        sub(&schema, 1, (2024, 6), &[("lac.dien_tich", 20.0), ("lac.san_luong", 50.0)]),
    ];
    let findings = [
        finding(Severity::Error, &cell(&subs[1], &schema, "lac.dien_tich")),
        finding(Severity::Error, &cell(&subs[1], &schema, "trau")),
        // An earlier month of a flow is part of its total.
        finding(Severity::Error, &cell(&subs[0], &schema, "trong_rung")),
        // A warning is a doubt too; an info is not.
        finding(Severity::Warning, &cell(&subs[1], &schema, "lon")),
        finding(Severity::Info, &cell(&subs[1], &schema, "bo")),
    ];
    let t = run(&schema, &subs, (2024, 6), &findings);
    let marked: Vec<&str> =
        t.rows.iter().filter(|r| r.has_errors).map(|r| schema.indicators[r.indicator].code.as_str()).collect();
    assert_eq!(marked, ["lac.dien_tich", "lac.nang_suat", "trau", "lon", "trong_rung", "trau_bo"]);
}

#[test]
fn an_error_elsewhere_marks_nothing() {
    let schema = Schema::builtin().unwrap();
    let subs =
        [sub(&schema, 0, (2024, 5), &[("lon", 30.0)]), sub(&schema, 0, (2024, 6), &[("lon", 40.0), ("bo", 9.0)])];
    let bo = cell(&subs[1], &schema, "bo");
    let findings = [
        // May's figure is not the one used: June's is.
        finding(Severity::Error, &cell(&subs[0], &schema, "lon")),
        // The same cell on another sheet, and a finding without a cell.
        Finding::new(Severity::Error, RuleRef::Reading("x"), "sai").at_cell(&bo.file, &"Khac".into(), bo.row, bo.col),
        Finding::new(Severity::Error, RuleRef::Reading("x"), "sai").on_sheet(&bo.file, &bo.sheet),
    ];
    let t = run(&schema, &subs, (2024, 6), &findings);
    assert!(t.rows.iter().all(|r| !r.has_errors));
}

#[test]
fn an_unreadable_cell_lets_the_earlier_month_stand_and_marks_the_total() {
    let schema = Schema::builtin().unwrap();
    let mut june = sub(&schema, 0, (2024, 6), &[("lon", 0.0)]);
    let lon = schema.indicator("lon").unwrap();
    let e = june.entries[lon].as_mut().unwrap();
    (e.value, e.unreadable) = (None, true);
    let unreadable = e.source.clone();
    let subs = [sub(&schema, 0, (2024, 5), &[("lon", 80.0)]), june];
    let t = run(&schema, &subs, (2024, 6), &[finding(Severity::Error, &unreadable)]);
    let h0 = hamlet(&t, &schema, "lon", 0).unwrap();
    assert_eq!((h0.value, h0.from_month, h0.unreadable.as_ref()), (80.0, Period::new(2024, 5), Some(&unreadable)));
    let r = row(&t, &schema, "lon");
    assert_eq!((r.value, r.month_value, r.has_errors), (Some(80.0), None, true));
}

#[test]
fn targets_of_the_year_give_percent_and_reached() {
    let schema = Schema::builtin().unwrap();
    let subs = [
        sub(&schema, 0, (2024, 6), &[("trau", 300.0), ("bo", 500.0), ("lon", 2530.0), ("ho", 100.0)]),
        sub(&schema, 1, (2024, 6), &[("trau", 100.0), ("bo", 300.0)]),
    ];
    let t = run(&schema, &everyone(&schema, &subs, (2024, 6)), (2024, 6), &[]);
    let tb = row(&t, &schema, "trau_bo");
    assert_eq!((tb.value, tb.goal), (Some(1200.0), Some(Goal::Plan { value: 1600.0 })));
    assert_eq!((tb.percent_of_target, tb.rating, tb.projection), (Some(75.0), Some(Rating::NotReached), None));
    let lon = row(&t, &schema, "lon");
    assert_eq!((lon.percent_of_target, lon.rating), (Some(110.0), Some(Rating::Reached)));
    let ho = row(&t, &schema, "ho");
    assert_eq!((ho.value, ho.goal, ho.percent_of_target, ho.rating), (Some(100.0), None, None, None));
    // No targets for 2025.
    let next = [sub(&schema, 0, (2025, 6), &[("trau", 300.0), ("bo", 500.0)])];
    let t = run(&schema, &everyone(&schema, &next, (2025, 6)), (2025, 6), &[]);
    let tb = row(&t, &schema, "trau_bo");
    assert_eq!((tb.value, tb.goal, tb.percent_of_target, tb.rating), (Some(800.0), None, None, None));
}

#[test]
fn a_total_lacking_reports_is_not_rated_and_says_which() {
    let schema = Schema::builtin().unwrap();
    // June only, of every hamlet: the year to date of a flow lacks January
    // to May, and a stock lacks nothing.
    let june: Vec<Submission> = (0..schema.hamlets.len())
        .map(|h| sub(&schema, h, (2024, 6), &[("trong_rung", 10.0), ("lon", 400.0)]))
        .collect();
    let t = run(&schema, &june, (2024, 6), &[]);
    let flow = row(&t, &schema, "trong_rung");
    assert_eq!(flow.value, Some(60.0));
    assert_eq!(flow.lacking.len(), 5 * schema.hamlets.len());
    assert_eq!((flow.rating, flow.projection), (Some(Rating::NeedsCheck), None));
    let stock = row(&t, &schema, "lon");
    assert!(stock.lacking.is_empty());
    assert_eq!(stock.rating, Some(Rating::Reached));
    // A hamlet that sent nothing this year: the stock lacks it too.
    let t = run(&schema, &everyone(&schema, &june[1..], (2024, 6))[..], (2024, 6), &[]);
    let stock = row(&t, &schema, "lon");
    assert!(stock.lacking.is_empty(), "a blank report of its own stands for each hamlet here");
    let t = run(&schema, &june[1..], (2024, 6), &[]);
    let stock = row(&t, &schema, "lon");
    assert_eq!(stock.lacking, [(HamletId::new(0), Period::new(2024, 6).unwrap())]);
    assert_eq!(stock.rating, Some(Rating::NeedsCheck));
}
