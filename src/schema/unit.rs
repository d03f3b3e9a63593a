//! The unit's own part of a schema: the commune (or ward) with its words,
//! its letterhead and signatures, and its hamlets with the keys they are
//! known by.

use super::compile::{Compiler, Item, line_of};
use super::*;

impl Compiler {
    pub(super) fn commune(&mut self, items: Vec<Item<'_, toml::Table>>) {
        for (i, (at, t)) in items.into_iter().enumerate() {
            let Some(c) = self.decode::<raw::RawCommune>(at, "[commune]", t) else { continue };
            if i > 0 {
                self.problems.add(at, None, "[commune] được khai báo hai lần");
                continue;
            }
            let title = std::mem::take(&mut self.schema.commune.report_title);
            self.schema.commune = Commune { report_title: c.report_title.unwrap_or(title), ..Commune::new(c.name) };
            if let Some(p) = c.place.filter(|p| !p.trim().is_empty()) {
                self.schema.commune.place = Some(p.trim().to_string());
            }
            if let Some(r) = c.recipients {
                self.schema.commune.recipients = r;
            }
            let words = &mut self.schema.commune.words;
            if let Some(l) = c.level {
                words.unit = l.trim().to_lowercase();
            }
            if let Some(h) = c.hamlet_word {
                words.hamlet = h.trim().to_lowercase();
            }
            if let Some(to) = c.reports_to.filter(|t| !t.trim().is_empty()) {
                self.schema.commune.recipients.insert(0, to.trim().to_string());
            }
            if let Some(s) = c.signer.filter(|s| !s.is_empty()) {
                self.schema.commune.signer = s;
            }
            if let Some(p) = c.preparer {
                self.schema.commune.preparer = p;
            }
        }
    }

    pub(super) fn hamlets(&mut self, items: Vec<Item<'_, toml::Table>>, first_file: &str) {
        for (at, t) in items {
            let Some(h) = self.decode::<raw::RawHamlet>(at, "[[hamlet]]", t) else { continue };
            let mut keys: Vec<String> = Vec::new();
            let written = std::iter::once(&h.name).chain(&h.aliases);
            for k in written.flat_map(|a| names::number_forms(&names::hamlet_key(a))) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            for k in &keys {
                if let Some(o) = self.schema.hamlets.iter().find(|o| o.keys.contains(k)) {
                    let msg = format!("thôn \"{}\" trùng tên với thôn \"{}\" (không kể dấu)", h.name, o.name);
                    self.problems.add(at, Some("name"), msg);
                }
            }
            self.schema.hamlets.push(Hamlet { name: h.name, keys, bare: Vec::new() });
            self.lines.hamlets.push(line_of(at));
        }
        // Which names are also ordinary words, once the form's words are known.
        let phrases = names::Phrases::of(&self.schema);
        for i in self.schema.hamlets.ids() {
            let bare = self.schema.hamlets[i].keys.iter().filter(|k| phrases.ordinary(k).is_none()).cloned().collect();
            self.schema.hamlets[i].bare = bare;
        }
        if self.schema.hamlets.is_empty() && !self.broken {
            self.problems.whole(first_file, "lược đồ không có thôn nào ([[hamlet]]): không biết báo cáo của ai");
        }
    }
}
