"""Shapes of an application's conversation in the partner API."""

from rest_framework import serializers

from sellers.conversation import attachment_api_path
from sellers.models import ApplicationMessage, MessageAttachment
from sellers.services.messages import MAX_BODY_CHARACTERS


class MessageAttachmentSerializer(serializers.ModelSerializer):
    # The stored file name and path stay private; the file is identified by its digest.
    scan_status = serializers.ChoiceField(
        choices=MessageAttachment.ScanStatus.choices,
        help_text="The malware scan: pending (being checked, not downloadable yet), clean, or "
        "infected (never downloadable).",
    )
    scan_finding = serializers.CharField(
        help_text="What the malware scan found in an infected file; empty otherwise."
    )
    download = serializers.SerializerMethodField(
        help_text="GET it (scope applications:read) for the file's bytes once the scan found "
        "it clean."
    )

    class Meta:
        model = MessageAttachment
        fields = [
            "id",
            "original_name",
            "sha256",
            "size",
            "detected_type",
            "scan_status",
            "scan_finding",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, attachment: MessageAttachment) -> str:
        return self.context["request"].build_absolute_uri(attachment_api_path(attachment))


class MessageSerializer(serializers.ModelSerializer):
    time = serializers.DateTimeField(source="created_at")
    author = serializers.SerializerMethodField(
        help_text="Who wrote it: the member, partner key or reviewer; the review team's "
        "messages name no reviewer."
    )
    side = serializers.ChoiceField(
        choices=ApplicationMessage.Side.choices,
        help_text="seller: the seller's members, or a partner acting for the seller; "
        "reviewer: the review team.",
    )
    language = serializers.ChoiceField(
        choices=ApplicationMessage._meta.get_field("language").choices,
        help_text="The portal language its author was using; the message is shown as written.",
    )
    attachments = MessageAttachmentSerializer(many=True)

    class Meta:
        model = ApplicationMessage
        fields = ["id", "time", "side", "author", "language", "body", "attachments"]
        read_only_fields = fields

    def get_author(self, message: ApplicationMessage) -> str:
        if message.side == ApplicationMessage.Side.REVIEWER:
            return str(ApplicationMessage.Side.REVIEWER.label)
        return message.author_label


class MessageCreateSerializer(serializers.Serializer):
    """POST body: JSON, or multipart/form-data to send files with the message."""

    body = serializers.CharField(
        max_length=MAX_BODY_CHARACTERS,
        allow_blank=True,
        help_text="The message, as plain text; it may not be empty.",
    )
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Up to 5 files (PDF, JPEG, PNG or WebP, recognised from their content), "
        "with multipart/form-data only.",
    )
