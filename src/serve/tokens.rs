//! The secret links: a long random token for each hamlet and one for the
//! clerk, written on first start to `.tonghop/ma-truy-cap.toml` (a hamlet
//! added later gets its own on the next start), compared in constant time.

use std::collections::BTreeMap;
use std::path::Path;

use subtle::ConstantTimeEq;

use crate::model::HamletId;
use crate::schema::Schema;

const FILE: &str = "ma-truy-cap.toml";

/// Whose a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Clerk,
    Hamlet(HamletId),
}

pub struct Tokens {
    pub clerk: String,
    pub hamlets: Vec<(HamletId, String)>,
}

#[derive(serde::Deserialize, serde::Serialize, Default)]
struct Stored {
    van_phong: Option<String>,
    #[serde(default)]
    thon: BTreeMap<String, String>,
}

fn fresh() -> std::io::Result<String> {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

impl Tokens {
    pub fn load_or_create(root: &Path, schema: &Schema) -> std::io::Result<Tokens> {
        let path = root.join(super::store::OWN).join(FILE);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut stored: Stored = toml::from_str(&text).unwrap_or_default();
        let mut changed = false;
        if stored.van_phong.is_none() {
            stored.van_phong = Some(fresh()?);
            changed = true;
        }
        let mut hamlets = Vec::new();
        for h in schema.hamlets.ids() {
            let name = schema.hamlet_name(h).to_string();
            if !stored.thon.contains_key(&name) {
                stored.thon.insert(name.clone(), fresh()?);
                changed = true;
            }
            hamlets.push((h, stored.thon[&name].clone()));
        }
        if changed {
            let body = toml::to_string(&stored).map_err(|e| std::io::Error::other(e.to_string()))?;
            let text = format!(
                "# Mã truy cập của máy chủ tonghop: mỗi thôn một mã, văn phòng một mã.\n# Giữ bí mật. Xóa một dòng rồi khởi động lại thì mã đó được thay bằng mã mới.\n{body}"
            );
            super::store::write_atomic(&root.join(super::store::OWN), &path, text.as_bytes())?;
            // Secrets: readable by the server's own user only.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
        Ok(Tokens { clerk: stored.van_phong.unwrap_or_default(), hamlets })
    }

    /// Whose this token is: every token compared in full, in constant time.
    pub fn who(&self, token: &str) -> Option<Who> {
        let mut found = None;
        if self.same(token, &self.clerk) {
            found = Some(Who::Clerk);
        }
        for (h, t) in &self.hamlets {
            if self.same(token, t) {
                found = Some(Who::Hamlet(*h));
            }
        }
        found
    }

    /// Two secrets equal, in time that does not depend on where they differ.
    pub fn same(&self, a: &str, b: &str) -> bool {
        a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
    }
}
