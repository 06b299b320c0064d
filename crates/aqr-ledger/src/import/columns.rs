//! The columns of an import file and how a row's values become a validated request.

use aqr_core::{Bank, Field, NewAccount, ValidationError};

use super::{ImportRow, RowError};

/// A column of an import file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// `account_number` (required).
    AccountNumber,
    /// `bank` (required): id, KFTC code or name.
    Bank,
    /// `owner` (required).
    Owner,
    /// `phone` (required).
    Phone,
    /// `name` (optional label).
    Name,
}

impl Column {
    /// Every column, in the documented order.
    pub const ALL: [Column; 5] = [
        Column::AccountNumber,
        Column::Bank,
        Column::Owner,
        Column::Phone,
        Column::Name,
    ];

    /// The documented name (`owner`, …).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Column::AccountNumber => "account_number",
            Column::Bank => "bank",
            Column::Owner => "owner",
            Column::Phone => "phone",
            Column::Name => "name",
        }
    }

    /// The column a header or key names: the documented name or the SDK's field name,
    /// case-insensitive, surrounding spaces ignored.
    #[must_use]
    pub fn from_header(header: &str) -> Option<Column> {
        let wanted = header.trim().to_ascii_lowercase();
        Column::ALL
            .into_iter()
            .find(|column| column.name() == wanted || column.field().name() == wanted)
    }

    /// Whether a row must have a value for it.
    #[must_use]
    pub fn is_required(self) -> bool {
        self != Column::Name
    }

    fn field(self) -> Field {
        match self {
            Column::AccountNumber => Field::AccountNumber,
            Column::Bank => Field::BankId,
            Column::Owner => Field::AccountOwner,
            Column::Phone => Field::PhoneNumber,
            Column::Name => Field::AccountName,
        }
    }

    fn of_field(field: Field) -> Option<Column> {
        Column::ALL
            .into_iter()
            .find(|column| column.field() == field)
    }
}

/// The values of one row, by column.
#[derive(Default)]
pub(super) struct Values {
    values: [Option<String>; 5],
}

impl Values {
    pub(super) fn set(&mut self, column: Column, value: String) {
        if let Some(slot) = self.values.get_mut(column as usize) {
            *slot = Some(value);
        }
    }

    fn get(&self, column: Column) -> &str {
        self.values
            .get(column as usize)
            .and_then(Option::as_deref)
            .unwrap_or("")
    }

    /// Validates the row found at `line`.
    pub(super) fn validate(&self, line: u64) -> Result<ImportRow, RowError> {
        let invalid = |error: ValidationError| {
            let field = Column::of_field(error.field()).map_or("row", Column::name);
            RowError {
                line,
                field: field.to_owned(),
                rule: error.rule().code().to_owned(),
                message: error.rule().to_string(),
            }
        };
        let bank = Bank::lookup(self.get(Column::Bank)).map_err(invalid)?;
        let mut account = NewAccount::new(
            self.get(Column::AccountNumber),
            bank,
            self.get(Column::Owner),
            self.get(Column::Phone),
        );
        // An empty `name` cell means "no label", as an absent column does.
        let name = self.get(Column::Name);
        if !name.trim().is_empty() {
            account = account.account_name(name);
        }
        let request = account.validate().map_err(invalid)?;
        Ok(ImportRow {
            line,
            account,
            request,
        })
    }
}

/// A problem with a row as a whole (not one of its fields).
pub(super) fn row_error(line: u64, rule: &str, message: impl Into<String>) -> RowError {
    RowError {
        line,
        field: "row".to_owned(),
        rule: rule.to_owned(),
        message: message.into(),
    }
}

/// The column a JSON key or field name names, or a row error for an unknown one.
pub(super) fn known_column(line: u64, name: &str) -> Result<Column, RowError> {
    Column::from_header(name).ok_or_else(|| {
        row_error(
            line,
            "unknown_field",
            format!(
                "has an unknown field `{}`: expected account_number, bank, owner, phone, name",
                aqr_core::escape_controls(name)
            ),
        )
    })
}
