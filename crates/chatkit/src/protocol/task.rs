//! Tasks, workflows and structured input questions.

use serde::{Deserialize, Serialize};

use super::{FileSource, IconName, UrlSource};

/// Progress marker shown beside a task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusIndicator {
    /// No marker.
    #[default]
    None,
    /// A spinner.
    Loading,
    /// A check mark.
    Complete,
}

/// A unit of visible work, alone (`task` item) or inside a workflow.
///
/// ```
/// use chatkit::{Task, StatusIndicator};
/// let task = Task::custom("Search flights").status(StatusIndicator::Loading);
/// assert_eq!(
///     serde_json::to_string(&task).unwrap(),
///     r#"{"type":"custom","status_indicator":"loading","title":"Search flights"}"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Task {
    /// Free-form task with title, icon and content.
    #[serde(rename = "custom")]
    Custom(CustomTask),
    /// A web search with its queries and sources.
    #[serde(rename = "web_search")]
    WebSearch(SearchTask),
    /// A reasoning summary.
    #[serde(rename = "thought")]
    Thought(ThoughtTask),
    /// Files consulted.
    #[serde(rename = "file")]
    File(FileTask),
    /// Image work.
    #[serde(rename = "image")]
    Image(ImageTask),
}

impl Task {
    /// A custom task with a title.
    pub fn custom(title: impl Into<String>) -> Self {
        Task::Custom(CustomTask { title: Some(title.into()), ..CustomTask::default() })
    }

    /// A thought with this content.
    pub fn thought(content: impl Into<String>) -> Self {
        Task::Thought(ThoughtTask { status_indicator: StatusIndicator::None, title: None, content: content.into() })
    }

    /// Sets the status indicator.
    #[must_use]
    pub fn status(mut self, status: StatusIndicator) -> Self {
        *self.status_indicator_mut() = status;
        self
    }

    /// The status indicator.
    pub fn status_indicator(&self) -> StatusIndicator {
        match self {
            Task::Custom(t) => t.status_indicator,
            Task::WebSearch(t) => t.status_indicator,
            Task::Thought(t) => t.status_indicator,
            Task::File(t) => t.status_indicator,
            Task::Image(t) => t.status_indicator,
        }
    }

    fn status_indicator_mut(&mut self) -> &mut StatusIndicator {
        match self {
            Task::Custom(t) => &mut t.status_indicator,
            Task::WebSearch(t) => &mut t.status_indicator,
            Task::Thought(t) => &mut t.status_indicator,
            Task::File(t) => &mut t.status_indicator,
            Task::Image(t) => &mut t.status_indicator,
        }
    }
}

/// A custom task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomTask {
    /// Progress marker.
    #[serde(default)]
    pub status_indicator: StatusIndicator,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<IconName>,
    /// Details (markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// A web search task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchTask {
    /// Progress marker.
    #[serde(default)]
    pub status_indicator: StatusIndicator,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The query shown as title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_query: Option<String>,
    /// Queries run.
    #[serde(default)]
    pub queries: Vec<String>,
    /// Pages found.
    #[serde(default)]
    pub sources: Vec<UrlSource>,
}

/// A reasoning summary task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThoughtTask {
    /// Progress marker.
    #[serde(default)]
    pub status_indicator: StatusIndicator,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The thought.
    pub content: String,
}

/// A file task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileTask {
    /// Progress marker.
    #[serde(default)]
    pub status_indicator: StatusIndicator,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Files.
    #[serde(default)]
    pub sources: Vec<FileSource>,
}

/// An image task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageTask {
    /// Progress marker.
    #[serde(default)]
    pub status_indicator: StatusIndicator,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A group of tasks shown as one collapsible item.
///
/// ```
/// use chatkit::{Workflow, WorkflowKind, Task};
/// let wf = Workflow::new(WorkflowKind::Custom).task(Task::custom("Step 1"));
/// assert_eq!(wf.tasks.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    /// `custom` or `reasoning`.
    #[serde(rename = "type")]
    pub kind: WorkflowKind,
    /// The tasks, in order.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Summary shown when collapsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<WorkflowSummary>,
    /// Whether it is shown expanded.
    #[serde(default)]
    pub expanded: bool,
}

impl Workflow {
    /// An empty workflow.
    pub fn new(kind: WorkflowKind) -> Self {
        Self { kind, tasks: Vec::new(), summary: None, expanded: false }
    }

    /// Adds a task.
    #[must_use]
    pub fn task(mut self, task: Task) -> Self {
        self.tasks.push(task);
        self
    }
}

/// Kind of workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowKind {
    /// App-defined steps.
    Custom,
    /// Model reasoning.
    Reasoning,
}

/// Summary of a finished workflow: a title, or how long it took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WorkflowSummary {
    /// A title with an optional icon.
    Custom {
        /// Title.
        title: String,
        /// Icon.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        icon: Option<IconName>,
    },
    /// Duration in whole seconds.
    Duration {
        /// Seconds.
        duration: u64,
    },
}

/// A question of a structured input item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StructuredInput {
    /// Pick one or several options.
    MultipleChoice(MultipleChoice),
    /// Free text.
    Freeform(Freeform),
}

impl StructuredInput {
    /// Question id.
    pub fn id(&self) -> &str {
        match self {
            StructuredInput::MultipleChoice(q) => &q.id,
            StructuredInput::Freeform(q) => &q.id,
        }
    }

    /// Question text.
    pub fn question(&self) -> &str {
        match self {
            StructuredInput::MultipleChoice(q) => &q.question,
            StructuredInput::Freeform(q) => &q.question,
        }
    }

    /// The recorded answer, if any.
    pub fn answer(&self) -> Option<&StructuredAnswer> {
        match self {
            StructuredInput::MultipleChoice(q) => q.answer.as_ref(),
            StructuredInput::Freeform(q) => q.answer.as_ref(),
        }
    }

    /// Records an answer.
    pub fn set_answer(&mut self, answer: StructuredAnswer) {
        match self {
            StructuredInput::MultipleChoice(q) => q.answer = Some(answer),
            StructuredInput::Freeform(q) => q.answer = Some(answer),
        }
    }
}

/// A multiple-choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MultipleChoice {
    /// Question id.
    pub id: String,
    /// Question text.
    pub question: String,
    /// The answer, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<StructuredAnswer>,
    /// Options offered.
    pub options: Vec<ChoiceOption>,
    /// Whether several options may be picked.
    #[serde(default)]
    pub multiple: bool,
}

/// An option of a multiple-choice question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// The value.
    pub value: String,
}

/// A free-text question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Freeform {
    /// Question id.
    pub id: String,
    /// Question text.
    pub question: String,
    /// The answer, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<StructuredAnswer>,
    /// Help text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The answer to one question.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructuredAnswer {
    /// Chosen or typed values.
    #[serde(default)]
    pub values: Vec<String>,
    /// Whether the question was skipped.
    #[serde(default)]
    pub skipped: bool,
}

/// Status of a structured input item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StructuredStatus {
    /// Waiting for the user.
    #[default]
    Pending,
    /// Answered.
    Answered,
    /// Skipped as a whole.
    Skipped,
}
