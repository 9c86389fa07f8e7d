//! Orders of the logistics side: what won deals turn into.

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    resource::{self, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{Order, OrderStatus, OrderStatusChange},
    server::{AppState, ids, sql::Sql},
};

impl Resource for Order {
    const TABLE: &'static str = "orders";
    const ALIAS: &'static str = "d";
    const ID: &'static str = "order_id";
    const PREFIX: &'static str = ids::ORDER;
    const NOUN: &'static str = "Order";
    const COLUMNS: &'static str = "d.order_id, d.account_id, d.opportunity_id, d.product_id, d.quantity, \
         d.unit_price_cents, d.total_amount_cents, d.currency, d.special_requirements, d.status, d.order_date, \
         d.created_by, d.version, d.created_at, d.updated_at";
    const HOLDERS: &'static [&'static str] = &["created_by"];

    /// `GET /orders`: status, account (`account_id` or the contract's `customer_id`), deal and
    /// order-date range.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "status", column: "d.status", kind: FilterKind::Enum(OrderStatus::check) },
            Filter { param: "account_id", column: "d.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "customer_id", column: "d.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "opportunity_id", column: "d.opportunity_id", kind: FilterKind::Id(ids::OPPORTUNITY) },
            Filter { param: "date_from", column: "d.order_date", kind: FilterKind::From },
            Filter { param: "date_to", column: "d.order_date", kind: FilterKind::To },
        ],
        search: &["d.product_id", "d.special_requirements"],
        sorts: &[
            SortKey { name: "order_date", expr: "d.order_date" },
            SortKey { name: "created_at", expr: "d.created_at" },
            SortKey { name: "total_amount", expr: "d.total_amount_cents" },
        ],
        id_column: "d.order_id",
    };

    fn from_row(row: &AnyRow) -> Result<Order, sqlx::Error> {
        let account_id = row.text("account_id")?;
        Ok(Order {
            order_id: row.text("order_id")?,
            customer_id: account_id.clone(),
            account_id,
            opportunity_id: row.opt_text("opportunity_id")?,
            product_id: row.text("product_id")?,
            quantity: row.int("quantity")?,
            unit_price: row.money("unit_price_cents")?,
            total_amount: row.money("total_amount_cents")?,
            currency: row.text("currency")?,
            special_requirements: row.opt_text("special_requirements")?,
            status: row.parse("status")?,
            order_date: row.text("order_date")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
            created_by: row.opt_text("created_by")?,
        })
    }

    record_meta!(created_by);

    /// A restricted caller sees orders they placed and orders of accounts or deals they own.
    fn restrict(access: &Access, sql: &mut Sql) {
        if !access.restricted {
            return;
        }
        let me = access.me().to_owned();
        sql.push(" AND (d.created_by = ")
            .bind(&me)
            .push(" OR EXISTS (SELECT 1 FROM accounts ra WHERE ra.account_id = d.account_id AND ra.owner_id = ")
            .bind(&me)
            .push(") OR EXISTS (SELECT 1 FROM opportunities ro WHERE ro.opportunity_id = d.opportunity_id AND ro.owner_id = ")
            .bind(&me)
            .push("))");
    }
}

/// `PATCH /orders/{id}/status`: moves an order along its life; an illegal move is a 409.
pub async fn change_status(
    state: &AppState,
    access: &Access,
    order_id: &str,
    change: OrderStatusChange,
) -> Result<Order, AppError> {
    let (current, version) = resource::load_for_change::<Order>(state, access, order_id, None).await?;
    if current.status == change.status {
        return Ok(current);
    }
    if !current.status.can_move_to(change.status) {
        let allowed: Vec<&str> = current.status.next().iter().map(|s| s.as_str()).collect();
        return Err(AppError::conflict(format!(
            "An order that is {} cannot become {} (allowed: {})",
            current.status,
            change.status,
            if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") }
        )));
    }
    let mut tx = state.db.begin_write().await?;
    let order = resource::save(&mut tx, order_id, version, Write::new().set("status", change.status.as_str())).await?;
    tx.commit().await?;
    Ok(order)
}
