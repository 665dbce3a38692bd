//! The model-input converter of APP.md §8: the library defaults with three overrides.

use chatkit::{Attachment, Tag, WidgetItem};
use chatkit_agents::convert::{ConvertError, InputItem, ItemConverter, input_text, user_text};
use chatkit_agents::pyjson::canonical;
use serde_json::Value;

/// Tags and attachments as plain descriptions; widgets as their exact wire JSON.
pub(crate) struct AppConverter;

#[async_trait::async_trait]
impl ItemConverter for AppConverter {
    async fn tag(&self, tag: &Tag) -> Result<Value, ConvertError> {
        let group = tag.group.as_deref().filter(|g| !g.is_empty()).unwrap_or("none");
        let data = canonical(&Value::Object(tag.data.clone()));
        Ok(input_text(format!("Entity {} (id={}, group={group}, data={data})", tag.text, tag.id)))
    }

    async fn attachment(&self, attachment: &Attachment) -> Result<Value, ConvertError> {
        let base = attachment.base();
        Ok(input_text(format!("Attachment {} ({})", base.name, base.mime_type)))
    }

    async fn widget(&self, item: &WidgetItem) -> Result<Vec<InputItem>, ConvertError> {
        Ok(vec![user_text(format!(
            "The following graphical UI widget (id: {}) was displayed to the user:{}",
            item.id,
            canonical(&item.widget.to_value())
        ))])
    }
}
